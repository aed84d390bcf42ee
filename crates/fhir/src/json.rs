//! The JSON text written beside the PDF: pretty-printed like
//! `serde_json::to_string_pretty`, but each object's `resourceType` first
//! (then the other members in order of name), so a reader or a streaming
//! parser sees what a resource is before its contents.

use serde_json::Value;

use crate::FhirError;

pub(crate) fn pretty(value: &Value) -> Result<String, FhirError> {
    let mut out = String::with_capacity(4096);
    write(&mut out, value, 0)?;
    Ok(out)
}

fn write(out: &mut String, value: &Value, depth: usize) -> Result<(), FhirError> {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            let first = map.get_key_value("resourceType");
            let rest = map.iter().filter(|(k, _)| k.as_str() != "resourceType");
            for (i, (key, item)) in first.into_iter().chain(rest).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                out.push_str(&scalar(&Value::String(key.clone()))?);
                out.push_str(": ");
                write(out, item, depth + 1)?;
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write(out, item, depth + 1)?;
            }
            newline(out, depth);
            out.push(']');
        }
        other => out.push_str(&scalar(other)?),
    }
    Ok(())
}

fn scalar(value: &Value) -> Result<String, FhirError> {
    serde_json::to_string(value).map_err(|_| FhirError::Serialize)
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resource_type_first_and_same_value() {
        let value = json!({
            "entry": [{ "resource": { "id": "x", "resourceType": "Patient" } }],
            "resourceType": "Bundle",
            "empty": [],
            "obj": {},
            "text": "a\"<b>\n",
        });
        let text = pretty(&value).unwrap();
        assert!(text.starts_with("{\n  \"resourceType\": \"Bundle\",\n  \"empty\": []"));
        assert!(text.contains(
            "\"resource\": {\n        \"resourceType\": \"Patient\",\n        \"id\": \"x\""
        ));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
