//! The JSON text written beside the PDF: pretty-printed like
//! `serde_json::to_string_pretty`, but each object's `resourceType` first
//! (then the other members in order of name), so a reader or a streaming
//! parser sees what a resource is before its contents.

use serde_json::Value;

use crate::FhirError;

pub(crate) fn pretty(value: &Value) -> Result<String, FhirError> {
    // Bytes, written straight into: a document is mostly one long base64
    // string, and a String per scalar would copy it twice more. A letter's
    // document is some 130–230 KB: room for it from the start.
    let mut out = Vec::with_capacity(256 * 1024);
    write(&mut out, value, 0)?;
    String::from_utf8(out).map_err(|_| FhirError::Serialize)
}

fn write(out: &mut Vec<u8>, value: &Value, depth: usize) -> Result<(), FhirError> {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push(b'{');
            let first = map.get_key_value("resourceType");
            let rest = map.iter().filter(|(k, _)| k.as_str() != "resourceType");
            for (i, (key, item)) in first.into_iter().chain(rest).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                serde_json::to_writer(&mut *out, key).map_err(|_| FhirError::Serialize)?;
                out.extend_from_slice(b": ");
                write(out, item, depth + 1)?;
            }
            newline(out, depth);
            out.push(b'}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, depth + 1);
                write(out, item, depth + 1)?;
            }
            newline(out, depth);
            out.push(b']');
        }
        other => scalar(out, other)?,
    }
    Ok(())
}

fn scalar(out: &mut Vec<u8>, value: &Value) -> Result<(), FhirError> {
    serde_json::to_writer(out, value).map_err(|_| FhirError::Serialize)
}

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
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
