//! Load: JSON fields read whatever type a file gives them. A scanner export with one
//! badly typed finding should lose that finding, with its reason, not the file; and a
//! million findings should be read straight from the stream, not built as JSON values
//! first. So a field is a [`Loose`]: what the field held when it had the expected
//! shape, or the kind of JSON value it held instead (consumed and passed over), or
//! nothing. Each reader then decides which wrong fields drop the finding.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// A JSON field: missing or null, of the expected shape, or of another one.
#[derive(Debug, Default)]
pub enum Loose<T> {
    #[default]
    Absent,
    Got(T),
    /// The kind of JSON value found instead ("an object", "a string").
    Wrong(&'static str),
    /// An object that gives one of the keys auditpack reads twice: which is meant is
    /// anybody's guess.
    Repeated,
}

impl<T: Shape> Loose<T> {
    /// The value, or None when the field is missing or null; a wrong type is an error
    /// naming the field: `Compliance.Status is an object, not a string`. The name is
    /// only written out for the error (pass `format_args!` for a composed one).
    pub fn take(self, field: impl fmt::Display) -> Result<Option<T>, String> {
        match self {
            Loose::Absent => Ok(None),
            Loose::Got(value) => Ok(Some(value)),
            Loose::Wrong(found) => Err(format!("{field} is {found}, not {}", T::EXPECTED)),
            Loose::Repeated => Err(format!("{field} gives a key twice")),
        }
    }

    /// The value, or its default when missing or null; a wrong type is an error.
    pub fn take_or_default(self, field: impl fmt::Display) -> Result<T, String>
    where
        T: Default,
    {
        Ok(self.take(field)?.unwrap_or_default())
    }

    /// An element of a scanner's array of findings: a null or wrong-typed one is the
    /// reason it is dropped.
    pub fn element(self) -> Result<T, String> {
        self.take("the finding")?
            .ok_or_else(|| "the finding is null".to_string())
    }

    /// The value when it is there and of the expected shape, else None: for fields whose
    /// odd types change nothing auditpack concludes.
    pub fn ok(self) -> Option<T> {
        match self {
            Loose::Got(value) => Some(value),
            _ => None,
        }
    }
}

impl<T: Shape> Loose<Vec<Loose<T>>> {
    /// Every element of an array field (none when missing); a field that is not an
    /// array, or an element of the wrong type, is an error naming it: `Resources[2]`.
    pub fn take_all(self, field: impl fmt::Display) -> Result<Vec<T>, String> {
        let items = self.take(&field)?.unwrap_or_default();
        let mut all = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            all.extend(item.take(format_args!("{field}[{i}]"))?);
        }
        Ok(all)
    }
}

/// The JSON a type is read from. Each `from_` gives None (or [`Loose::Wrong`]) where that
/// kind of value is the wrong shape; a map or an array of the wrong shape is read through
/// and passed over, so the stream stays whole.
pub trait Shape: Sized {
    /// What the field should hold, for messages: "a string".
    const EXPECTED: &'static str;

    fn from_text(_text: &str) -> Option<Self> {
        None
    }

    fn from_number(_number: Number) -> Option<Self> {
        None
    }

    fn from_bool(_value: bool) -> Option<Self> {
        None
    }

    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Loose<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Wrong("an object"))
    }

    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A field's name under a prefix (`properties.` where an assessment nests its body),
/// put together only when a message needs it: names are for errors, and a million
/// findings should not each pay for theirs.
#[derive(Clone, Copy)]
pub struct Field(pub &'static str, pub &'static str);

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}{}", self.0, self.1)
    }
}

/// A JSON number as the stream gave it.
#[derive(Clone, Copy)]
pub enum Number {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Number::Unsigned(n) => write!(f, "{n}"),
            Number::Signed(n) => write!(f, "{n}"),
            Number::Float(n) => write!(f, "{n}"),
        }
    }
}

/// Text, and numbers and booleans written where text is expected (`"AwsAccountId":
/// 111122223333`), as their text.
impl Shape for String {
    const EXPECTED: &'static str = "a string";

    fn from_text(text: &str) -> Option<Self> {
        Some(text.to_string())
    }

    fn from_number(number: Number) -> Option<Self> {
        Some(number.to_string())
    }

    fn from_bool(value: bool) -> Option<Self> {
        Some(value.to_string())
    }
}

/// Whole numbers (`time` in seconds since 1970).
impl Shape for i64 {
    const EXPECTED: &'static str = "a whole number";

    fn from_number(number: Number) -> Option<Self> {
        match number {
            Number::Unsigned(n) => i64::try_from(n).ok(),
            Number::Signed(n) => Some(n),
            Number::Float(_) => None,
        }
    }
}

impl Shape for bool {
    const EXPECTED: &'static str = "true or false";

    fn from_bool(value: bool) -> Option<Self> {
        Some(value)
    }
}

impl<T: Shape> Shape for Vec<Loose<T>> {
    const EXPECTED: &'static str = "an array";

    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Loose<T>>()? {
            items.push(item);
        }
        Ok(Some(items))
    }
}

impl<T: Shape> Shape for BTreeMap<String, Loose<T>> {
    const EXPECTED: &'static str = "an object";

    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Loose<Self>, A::Error> {
        let mut entries = BTreeMap::new();
        let mut repeated = false;
        while let Some((key, value)) = map.next_entry::<String, Loose<T>>()? {
            repeated |= entries.insert(key, value).is_some();
        }
        Ok(if repeated {
            Loose::Repeated
        } else {
            Loose::Got(entries)
        })
    }
}

impl<T: Shape> Loose<BTreeMap<String, Loose<T>>> {
    /// Every entry of an object field (none when missing); a field that is not an
    /// object, or an entry of the wrong type, is an error naming it: `Compliance.HIPAA`.
    pub fn take_entries(self, field: impl fmt::Display) -> Result<Vec<(String, T)>, String> {
        let mut all = Vec::new();
        for (key, value) in self.take(&field)?.unwrap_or_default() {
            if let Some(value) = value.take(format_args!("{field}.{key}"))? {
                all.push((key, value));
            }
        }
        Ok(all)
    }
}

/// A struct read from a JSON object whose fields are all [`Loose`] (with
/// `#[serde(default)]`), so reading it fails only on broken JSON or a repeated key.
macro_rules! loose_object {
    ($($name:ty),+ $(,)?) => {$(
        impl $crate::load::loose::Shape for $name {
            const EXPECTED: &'static str = "an object";

            fn from_map<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> Result<$crate::load::loose::Loose<Self>, A::Error> {
                let read = <$name as serde::Deserialize>::deserialize(
                    serde::de::value::MapAccessDeserializer::new(&mut map),
                );
                $crate::load::loose::settle(read, map)
            }
        }
    )+};
}
pub(crate) use loose_object;

/// The outcome of reading a [`loose_object!`] struct: a key given twice stops serde's
/// derived reader just before that key's value, so the rest of the object is read
/// through and the struct is [`Loose::Repeated`]; any other error is broken JSON.
pub fn settle<'de, T, A: MapAccess<'de>>(
    read: Result<T, A::Error>,
    mut map: A,
) -> Result<Loose<T>, A::Error> {
    match read {
        Ok(value) => Ok(Loose::Got(value)),
        Err(e) if e.to_string().starts_with("duplicate field") => {
            map.next_value::<IgnoredAny>()?;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Loose::Repeated)
        }
        Err(e) => Err(e),
    }
}

impl<'de, T: Shape> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor(PhantomData))
    }
}

struct LooseVisitor<T>(PhantomData<T>);

impl<T> LooseVisitor<T> {
    fn or_wrong(value: Option<T>, found: &'static str) -> Loose<T> {
        value.map_or(Loose::Wrong(found), Loose::Got)
    }
}

impl<'de, T: Shape> Visitor<'de> for LooseVisitor<T> {
    type Value = Loose<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose<T>, E> {
        Ok(Self::or_wrong(T::from_text(v), "a string"))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose<T>, E> {
        Ok(Self::or_wrong(
            T::from_number(Number::Unsigned(v)),
            "a number",
        ))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose<T>, E> {
        Ok(Self::or_wrong(
            T::from_number(Number::Signed(v)),
            "a number",
        ))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose<T>, E> {
        Ok(Self::or_wrong(T::from_number(Number::Float(v)), "a number"))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose<T>, E> {
        Ok(Self::or_wrong(T::from_bool(v), "a boolean"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Loose<T>, E> {
        Ok(Loose::Absent)
    }

    fn visit_none<E: de::Error>(self) -> Result<Loose<T>, E> {
        Ok(Loose::Absent)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose<T>, A::Error> {
        T::from_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose<T>, A::Error> {
        Ok(Self::or_wrong(T::from_seq(seq)?, "an array"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default, Debug)]
    struct Inner {
        #[serde(default)]
        id: Loose<String>,
    }
    loose_object!(Inner);

    #[derive(Deserialize, Default, Debug)]
    struct Outer {
        #[serde(default)]
        title: Loose<String>,
        #[serde(default)]
        time: Loose<i64>,
        #[serde(default)]
        inner: Loose<Inner>,
        #[serde(default)]
        items: Loose<Vec<Loose<Inner>>>,
    }
    loose_object!(Outer);

    fn read(json: &str) -> Vec<Loose<Outer>> {
        serde_json::from_str(json).expect("the stream stays whole")
    }

    #[test]
    fn wrong_types_are_passed_over_and_the_rest_is_read() {
        let mut all = read(
            r#"[{"title": {"a": [1, {"b": 2}]}, "time": "soon", "inner": {"id": 7},
                "items": [{"id": "x"}, "y"]},
               "a bare string",
               {"title": "kept", "time": 5, "items": null, "extra": {"deep": [[]]}}]"#,
        );
        let Loose::Got(last) = all.pop().unwrap() else {
            panic!("an object")
        };
        assert_eq!(last.title.take("title"), Ok(Some("kept".to_string())));
        assert_eq!(last.time.take("time"), Ok(Some(5)));
        assert!(last.items.take_all("items").unwrap().is_empty());
        assert!(matches!(all.pop().unwrap(), Loose::Wrong("a string")));
        let Loose::Got(first) = all.pop().unwrap() else {
            panic!("an object")
        };
        assert_eq!(
            first.title.take("title"),
            Err("title is an object, not a string".to_string())
        );
        assert_eq!(
            first.time.take("time"),
            Err("time is a string, not a whole number".to_string())
        );
        let inner = first.inner.take("inner").unwrap().unwrap();
        assert_eq!(inner.id.take("inner.id"), Ok(Some("7".to_string())));
        assert_eq!(
            first.items.take_all("items").unwrap_err(),
            "items[1] is a string, not an object"
        );
    }

    #[test]
    fn a_key_given_twice_drops_its_object_and_the_stream_goes_on() {
        let mut all = read(
            r#"[{"title": "a", "inner": {"id": "x", "id": "y", "more": [1]}, "title": "b"},
               {"title": "c"}]"#,
        );
        let Loose::Got(last) = all.pop().unwrap() else {
            panic!("an object")
        };
        assert_eq!(last.title.take("title"), Ok(Some("c".to_string())));
        assert_eq!(
            all.pop().unwrap().take("the finding").unwrap_err(),
            "the finding gives a key twice"
        );
        let entries: Loose<BTreeMap<String, Loose<String>>> =
            serde_json::from_str(r#"{"HIPAA": "a", "HIPAA": "b"}"#).unwrap();
        assert_eq!(
            entries.take_entries("Compliance").unwrap_err(),
            "Compliance gives a key twice"
        );
    }

    #[test]
    fn broken_json_is_still_an_error() {
        assert!(serde_json::from_str::<Vec<Loose<Outer>>>(r#"[{"title": {"a": [1, }]"#).is_err());
        assert!(serde_json::from_str::<Vec<Loose<Outer>>>(r#"[{"title": "x""#).is_err());
    }
}
