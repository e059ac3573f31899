package convert

// Plural is "1 key" or "3 keys": every count the engine and the UI write
// goes through it (never "1 keys" or "key(s)").
func Plural(n int, one, many string) string { return plural(n, one, many) }
