//! Gender (性别), as recorded and as the ID number encodes it.

use crate::codes::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// Gender (性别).
    Gender {
        /// 男.
        Male = "male", "男", "Male";
        /// 女.
        Female = "female", "女", "Female";
    }
);
