//! Whether a JSON answer is what the OpenAPI document says it is: the subset of JSON Schema
//! utoipa writes (`$ref`, `oneOf`, `allOf`, `type` and its lists, `enum`, objects with
//! `required`, `properties` and `additionalProperties`, arrays with `items`). Strict on
//! purpose: an object's key that its schema does not list fails unless the schema allows
//! other keys, so an answer cannot carry a field the document does not describe.

use serde_json::Value;

/// Where `value` departs from `schema` (resolved in `doc`), naming the place (`$.report.groups[0]`),
/// or None when it conforms.
pub(crate) fn departure(doc: &Value, schema: &Value, value: &Value) -> Option<String> {
    check(doc, schema, value, "$").err()
}

fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(target) = schema["$ref"].as_str() {
        let name = target.trim_start_matches("#/components/schemas/");
        let resolved = &doc["components"]["schemas"][name];
        if resolved.is_null() {
            return Err(format!("{at}: {target} is not in the document"));
        }
        return check(doc, resolved, value, at);
    }
    if let Some(choices) = schema["oneOf"].as_array() {
        let failures: Vec<String> = choices
            .iter()
            .filter_map(|choice| check(doc, choice, value, at).err())
            .collect();
        if failures.len() == choices.len() {
            return Err(format!("{at}: fits none of oneOf: {}", failures.join("; ")));
        }
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(doc, part, value, at)?;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    let kinds: Vec<&str> = match &schema["type"] {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !kinds.is_empty() && !kinds.iter().any(|kind| is_kind(value, kind)) {
        return Err(format!(
            "{at}: {} is not {}",
            short(value),
            kinds.join(" or ")
        ));
    }
    match value {
        Value::Object(fields) => object(doc, schema, fields, at),
        Value::Array(items) if !schema["items"].is_null() => {
            for (i, item) in items.iter().enumerate() {
                check(doc, &schema["items"], item, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn object(
    doc: &Value,
    schema: &Value,
    fields: &serde_json::Map<String, Value>,
    at: &str,
) -> Result<(), String> {
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap_or_default();
        if !fields.contains_key(name) {
            return Err(format!("{at}: `{name}` is required and missing"));
        }
    }
    let Some(properties) = schema["properties"].as_object() else {
        return Ok(());
    };
    for (name, field) in fields {
        let place = format!("{at}.{name}");
        match properties.get(name) {
            Some(property) => check(doc, property, field, &place)?,
            None => match &schema["additionalProperties"] {
                Value::Null | Value::Bool(false) => {
                    return Err(format!("{place} is not in the document"))
                }
                Value::Bool(true) => {}
                other => check(doc, other, field, &place)?,
            },
        }
    }
    Ok(())
}

fn is_kind(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

#[test]
fn a_departure_is_found_and_named_by_its_place() {
    let doc = serde_json::json!({ "components": { "schemas": {
        "Item": { "type": "object", "required": ["id"], "properties": {
            "id": { "type": "integer" },
            "tag": { "type": ["string", "null"] } } },
        "List": { "type": "object", "properties": {
            "items": { "type": "array", "items": { "$ref": "#/components/schemas/Item" } } } }
    } } });
    let list = serde_json::json!({ "$ref": "#/components/schemas/List" });
    let fits = serde_json::json!({ "items": [{ "id": 1, "tag": null }, { "id": 2 }] });
    assert_eq!(departure(&doc, &list, &fits), None);
    for (value, said) in [
        (
            serde_json::json!({ "items": [{ "id": "1" }] }),
            "$.items[0].id: \"1\" is not integer",
        ),
        (
            serde_json::json!({ "items": [{}] }),
            "$.items[0]: `id` is required and missing",
        ),
        (
            serde_json::json!({ "items": [{ "id": 1, "more": 1 }] }),
            "$.items[0].more is not in the document",
        ),
    ] {
        assert_eq!(departure(&doc, &list, &value).as_deref(), Some(said));
    }
}
