// Package input is what was pasted, opened, piped or dropped, before any
// reader parses it: what kind of text it is (Classify), what surrounds a
// pasted token (UnwrapToken, CleanToken: "Bearer ", quotes, line breaks),
// text encodings (UTF-16, byte-order marks, CR line ends), the one set of
// size caps with the one capped reader (ReadCapped), and the one walker of a
// JSON object's members (Members: a member named twice is refused).
package input
