-- Puts the taken members back into the dirty set (a run that failed).
-- KEYS: dirty, taken.
-- ARGV: none.
-- Returns 0.
--- @include "includes/dirty-merge-taken"
return 0
