//! Enums with a code (for storage, URLs and JSON) and a Chinese and an English term, one
//! line per value: `coded_enum!` writes the enum and its `code`, `from_code`, `zh`, `en`.

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The code used in storage, URLs and JSON.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code,)+ } }
            /// Parses a code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
            /// The Chinese term.
            pub fn zh(self) -> &'static str { match self { $($name::$variant => $zh,)+ } }
            /// The English term.
            pub fn en(self) -> &'static str { match self { $($name::$variant => $en,)+ } }
        }
    };
}
pub(crate) use coded_enum;
