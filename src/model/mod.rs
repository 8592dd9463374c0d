//! Pure data: dates, actors, events, datasets and the aggregation of a time window into
//! nodes and edges. No egui here: the CLI, the benches and the GUI all build on it.

mod actor;
mod bins;
mod dataset;
mod date;
pub mod edit;
mod event_query;
mod index;
mod notes;
mod str_column;
mod window;

pub use actor::{
    Actor, ActorId, ActorKind, ActorTable, Country, CountryMatch, CountryPattern, CountryRule,
    CountryTable, KEPT_AS_WRITTEN, normalise_name,
};
pub use bins::{BinStack, BinUnit, DayCounts, Segment, TimelineCounts};
pub use dataset::{
    Dataset, DatasetBuilder, DetailSource, EventClass, EventDetails, EventId, EventPairs, EventRef,
    NO_FILE, NewEvent, OnDemandDetails, PairId, Records, assign_pairs, stable_order_by_day,
};
pub use date::{
    DateError, DayNumber, PartialDate, Precision, civil_from_day, day_number, days_in_month,
    excerpt, format_day,
};
pub use edit::{Edit, event_record};
pub use event_query::{EventColumn, EventQuery};
pub use index::EventIndex;
pub use notes::{EventKey, NoteOn, NoteSpec, NoteSubject, Notes};
pub use str_column::{StrCache, StrColumn};
pub use window::{EventFilter, TimeWindow, WindowCounts};
