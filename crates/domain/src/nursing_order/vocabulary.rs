//! The closed sets of 別紙様式16, each item with the code that is stored
//! and the words the form prints. The printed form circles one item (or,
//! for the devices, several) of each list.

/// Declares an enum of a closed set with `ALL`, `code`, `from_code` and
/// `label_ja`, from one table: a set is read, checked and printed alike.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// What is stored and sent.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|item| item.code() == code)
            }

            /// As the form prints it.
            pub fn label_ja(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }
    };
}

closed_set! {
    /// 寝たきり度: 障害高齢者の日常生活自立度 (寝たきり度) 判定基準.
    BedriddenLevel {
        J1 => "j1", "J1";
        J2 => "j2", "J2";
        A1 => "a1", "A1";
        A2 => "a2", "A2";
        B1 => "b1", "B1";
        B2 => "b2", "B2";
        C1 => "c1", "C1";
        C2 => "c2", "C2";
    }
}

closed_set! {
    /// 認知症の状況: 認知症高齢者の日常生活自立度 判定基準.
    DementiaLevel {
        I => "1", "Ⅰ";
        IIa => "2a", "Ⅱa";
        IIb => "2b", "Ⅱb";
        IIIa => "3a", "Ⅲa";
        IIIb => "3b", "Ⅲb";
        IV => "4", "Ⅳ";
        M => "m", "Ｍ";
    }
}

closed_set! {
    /// 要介護認定の状況.
    CareLevel {
        Support1 => "support_1", "要支援1";
        Support2 => "support_2", "要支援2";
        Care1 => "care_1", "要介護1";
        Care2 => "care_2", "要介護2";
        Care3 => "care_3", "要介護3";
        Care4 => "care_4", "要介護4";
        Care5 => "care_5", "要介護5";
    }
}

closed_set! {
    /// 褥瘡の深さ: one grade, in either classification the form offers.
    UlcerDepth {
        DesignD3 => "design_d3", "D3";
        DesignD4 => "design_d4", "D4";
        DesignD5 => "design_d5", "D5";
        NpuapIII => "npuap_3", "Ⅲ度";
        NpuapIV => "npuap_4", "Ⅳ度";
    }
}

impl UlcerDepth {
    /// The classification the grade belongs to, as the form heads it.
    pub fn classification_ja(self) -> &'static str {
        match self {
            UlcerDepth::DesignD3 | UlcerDepth::DesignD4 | UlcerDepth::DesignD5 => "DESIGN-R分類",
            UlcerDepth::NpuapIII | UlcerDepth::NpuapIV => "NPUAP分類",
        }
    }
}

closed_set! {
    /// 装着・使用医療機器等, numbered as on the form.
    MedicalDevice {
        PeritonealDialysis => "peritoneal_dialysis", "1.自動腹膜灌流装置";
        DialysateSupply => "dialysate_supply", "2.透析液供給装置";
        Oxygen => "oxygen", "3.酸素療法";
        Suction => "suction", "4.吸引器";
        CentralVenousNutrition => "central_venous_nutrition", "5.中心静脈栄養";
        InfusionPump => "infusion_pump", "6.輸液ポンプ";
        TubeFeeding => "tube_feeding", "7.経管栄養";
        IndwellingCatheter => "indwelling_catheter", "8.留置カテーテル";
        Ventilator => "ventilator", "9.人工呼吸器";
        TracheostomyTube => "tracheostomy_tube", "10.気管カニューレ";
        Colostomy => "colostomy", "11.人工肛門";
        Urostomy => "urostomy", "12.人工膀胱";
        Other => "other", "13.その他";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_is_unique() {
        fn round_trip<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            from_code: fn(&str) -> Option<T>,
        ) {
            let mut codes: Vec<&str> = all.iter().map(|&item| code(item)).collect();
            for &item in all {
                assert_eq!(from_code(code(item)), Some(item));
            }
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), all.len());
        }
        round_trip(
            BedriddenLevel::ALL,
            BedriddenLevel::code,
            BedriddenLevel::from_code,
        );
        round_trip(
            DementiaLevel::ALL,
            DementiaLevel::code,
            DementiaLevel::from_code,
        );
        round_trip(CareLevel::ALL, CareLevel::code, CareLevel::from_code);
        round_trip(UlcerDepth::ALL, UlcerDepth::code, UlcerDepth::from_code);
        round_trip(
            MedicalDevice::ALL,
            MedicalDevice::code,
            MedicalDevice::from_code,
        );
        assert_eq!(MedicalDevice::ALL.len(), 13);
        assert_eq!(BedriddenLevel::from_code("J1"), None);
    }
}
