//! The region the directory serves: its 市区町村, as the desk lists them.
//! A profile's area must lie inside it ("an area outside the region" is
//! refused on the field); an empty list (a region not yet set up) takes
//! any well-formed 市区町村.

use super::{MunicipalityError, municipalities};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Region {
    municipalities: Vec<String>,
}

impl Region {
    /// Any 市区町村 (the desk has not listed the region's yet).
    pub fn anywhere() -> Region {
        Region::default()
    }

    /// The region's 市区町村 as the desk types them (、 , or spaces).
    pub fn parse(raw: &str) -> Result<Region, MunicipalityError> {
        Ok(Region {
            municipalities: municipalities(raw, usize::MAX)?,
        })
    }

    pub fn from_stored(municipalities: Vec<String>) -> Region {
        Region { municipalities }
    }

    pub fn municipalities(&self) -> &[String] {
        &self.municipalities
    }

    /// Why `name` cannot be served in this region, if it cannot.
    pub fn refuses(&self, name: &str) -> Option<String> {
        if self.municipalities.is_empty() || self.municipalities.iter().any(|m| m == name) {
            return None;
        }
        Some(format!(
            "「{name}」はこの地域の市区町村ではありません（{}）",
            self.municipalities.join("、")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_outside_the_region_is_refused_and_an_unset_region_takes_any() {
        let region = Region::parse("豊島区、練馬区 板橋区").unwrap();
        assert_eq!(region.municipalities(), ["豊島区", "練馬区", "板橋区"]);
        assert_eq!(region.refuses("練馬区"), None);
        assert!(
            region
                .refuses("札幌市")
                .unwrap()
                .contains("この地域の市区町村ではありません")
        );
        assert_eq!(Region::anywhere().refuses("札幌市"), None);
        assert_eq!(
            Region::parse("池袋駅前").map_err(|e| e.code()),
            Err("not_a_municipality")
        );
    }
}
