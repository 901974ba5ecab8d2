//! Common nicknames and the formal names they stand for.

/// Groups of given names one person may go by (folded: lowercase, no accents).
const GROUPS: &[&[&str]] = &[
    &["william", "bill", "billy", "will", "willy", "liam"],
    &["robert", "bob", "bobby", "rob", "robbie", "bert"],
    &[
        "katherine",
        "catherine",
        "kathryn",
        "katharine",
        "kate",
        "kathy",
        "cathy",
        "katie",
        "kat",
        "cat",
    ],
    &[
        "elizabeth",
        "liz",
        "beth",
        "betty",
        "eliza",
        "lisa",
        "libby",
        "elisabeth",
        "babette",
    ],
    &["james", "jim", "jimmy", "jamie"],
    &["michael", "mike", "mick", "mickey", "michel"],
    &[
        "alexander",
        "alex",
        "alec",
        "sasha",
        "xander",
        "alexandre",
        "alejandro",
    ],
    &["alexandra", "alex", "sandra", "sasha", "alexandrine"],
    &["david", "dave", "davy"],
    &["thomas", "tom", "tommy"],
    &["christopher", "chris", "kit"],
    &["christine", "chris", "christina", "tina", "kristin"],
    &["jonathan", "jon", "john", "jonny"],
    &[
        "john", "jack", "johnny", "jon", "jean", "juan", "johannes", "hans", "hansi", "giovanni",
    ],
    &["daniel", "dan", "danny"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammy"],
    &["nicholas", "nick", "nicky", "nico", "nicolas"],
    &["patrick", "pat", "paddy"],
    &["patricia", "pat", "patty", "trish", "tricia"],
    &["anthony", "tony", "antoine", "antonio", "anton"],
    &[
        "joseph", "joe", "joey", "jose", "pepe", "giuseppe", "beppe", "josef", "sepp",
    ],
    &["matthew", "matt", "matty", "mathieu", "matthieu"],
    &["stephen", "steven", "steve", "stephane", "esteban"],
    &["andrew", "andy", "drew", "andre", "andres", "andreas"],
    &["benjamin", "ben", "benny", "benji"],
    &["jennifer", "jenny", "jen", "jenn"],
    &["susan", "sue", "susie", "suzanne"],
    &[
        "margaret",
        "maggie",
        "peggy",
        "meg",
        "marge",
        "margot",
        "marguerite",
    ],
    &["richard", "rick", "ricky", "dick", "rich", "ricardo"],
    &["edward", "ed", "eddie", "ted", "ned", "edouard", "eduardo"],
    &["charles", "chuck", "charlie", "carlos", "karl", "carl"],
    &["henry", "hank", "harry", "henri", "enrique", "heinrich"],
    &[
        "francisco",
        "paco",
        "pancho",
        "frank",
        "francis",
        "francois",
        "franz",
    ],
    &["ignacio", "nacho"],
    &["guadalupe", "lupe"],
    &["gregory", "greg"],
    &["jeffrey", "jeff", "geoffrey", "geoff"],
    &["lawrence", "larry", "laurence", "laurent"],
    &["ronald", "ron", "ronnie"],
    &["donald", "don", "donnie"],
    &["kenneth", "ken", "kenny"],
    &["timothy", "tim", "timmy"],
    &["victoria", "vicky", "tori"],
    &["rebecca", "becky", "becca"],
    &["deborah", "debbie", "deb"],
    &["abigail", "abby", "gail"],
    &["olivia", "liv", "livvy"],
    &["isabel", "isabelle", "izzy", "bella", "isabella"],
    &["emily", "em", "emmy"],
    &["frederick", "fred", "freddie", "frederic", "fritz"],
    &["peter", "pete", "pierre", "pedro", "pieter"],
    &["philip", "phil", "philippe", "felipe"],
    &["raymond", "ray"],
    &["zachary", "zach", "zack"],
    &["nathaniel", "nathan", "nate", "nat"],
    &["maximilian", "max", "maxime"],
    &["manuel", "manu", "emmanuel"],
    &["jacob", "jake", "jacques", "jakob", "santiago"],
    &["dorothy", "dot", "dottie"],
    &["josephine", "jo", "josie"],
    &["theodore", "theo", "ted", "teddy"],
    &["gabriel", "gabe", "gabi"],
    &["gabrielle", "gabby", "gabi"],
    &["valentina", "vale", "tina"],
    &["wolfgang", "wolf"],
    &["mohammed", "mohamed", "muhammad", "mohammad", "mo"],
];

/// Whether two given names can be the same person's: equal, or in one group.
/// Both are expected folded (see `names::fold_name`).
pub fn same_given_name(a: &str, b: &str) -> bool {
    a == b || GROUPS.iter().any(|g| g.contains(&a) && g.contains(&b))
}

/// The nickname group a folded given name belongs to, for indexing: the
/// group's first (formal) name, or the name itself.
pub fn canonical_given_names(name: &str) -> Vec<&'static str> {
    GROUPS
        .iter()
        .filter(|g| g.contains(&name))
        .map(|g| g[0])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_match_their_formal_names() {
        assert!(same_given_name("bill", "william"));
        assert!(same_given_name("kate", "catherine"));
        assert!(same_given_name("pepe", "jose"));
        assert!(!same_given_name("bill", "robert"));
        assert_eq!(canonical_given_names("bob"), vec!["robert"]);
        assert!(canonical_given_names("zork").is_empty());
    }
}
