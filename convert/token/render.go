package token

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Caps on how a token's header and claims are rendered (the report and
// what shows it): a 64 KiB token whose claims nest 9,800 levels deep
// pretty-prints to 192 MB. Past the caps the rendering is cut and the report
// says what was left out; the checks always read the whole JSON.
const (
	maxRenderDepth = 32        // containers nested deeper are shown as renderCutMarker
	maxRenderSize  = 256 << 10 // bytes of pretty-printed JSON, about
)

// renderCutMarker stands for a value nested deeper than maxRenderDepth.
var renderCutMarker = fmt.Sprintf("(cut: nested deeper than %d levels)", maxRenderDepth)

// capJSON returns raw unchanged when it renders within the caps. Otherwise
// it returns a compact rendering cut to them (still valid JSON; member order
// and scalars as written) and says what was cut, naming what ("claims").
func capJSON(raw []byte, what string) (json.RawMessage, string) {
	// The fast path, for every ordinary token: each token of the JSON is at
	// least one byte and pretty-prints on a line indented 2 per level.
	if depth := maxDepth(raw); depth <= maxRenderDepth && len(raw)*(2*depth+3) <= maxRenderSize {
		return json.RawMessage(raw), ""
	}
	w := renderWalker{raw: raw, dec: json.NewDecoder(bytes.NewReader(raw))}
	if !w.walk() {
		return json.RawMessage(raw), "" // not JSON: shown as it is elsewhere
	}
	var notes []string
	if w.cutValues > 0 {
		notes = append(notes, fmt.Sprintf("the %s nest %d levels deep: %d value(s) nested deeper than %d levels are shown as %q", what, w.deepest, w.cutValues, maxRenderDepth, renderCutMarker))
	}
	if w.leftOut > 0 {
		notes = append(notes, fmt.Sprintf("the %s pretty-print to more than %d KiB: the last %d bytes of them are left out", what, maxRenderSize>>10, w.leftOut))
	}
	if len(notes) == 0 {
		return json.RawMessage(raw), ""
	}
	return json.RawMessage(w.out.Bytes()), joinNotes(notes) + " (the checks read all of it)"
}

func joinNotes(notes []string) string {
	out := notes[0]
	for _, n := range notes[1:] {
		out += "; " + n
	}
	return out
}

type renderFrame struct {
	obj      bool
	count    int  // members or elements written
	awaiting bool // an object's key was written, its value not yet
}

// renderWalker copies JSON token by token, cutting what is too deep or past
// the size cap. Scalars are copied as written (from the input's bytes).
type renderWalker struct {
	raw       []byte
	dec       *json.Decoder
	out       bytes.Buffer
	stack     []renderFrame
	prev      int64 // input offset after the last token
	size      int   // pretty-printed size so far, about
	deepest   int
	cutValues int
	leftOut   int
}

// walk copies the whole input; false when it is not JSON.
func (w *renderWalker) walk() bool {
	for {
		tok, err := w.dec.Token()
		if err == io.EOF {
			return len(w.stack) == 0
		}
		if err != nil {
			return false
		}
		text := w.tokenText()
		w.deepest = max(w.deepest, len(w.stack))
		if w.size > maxRenderSize && w.startsEntry(tok) {
			w.leftOut = len(w.raw) - (int(w.prev) - len(text))
			w.closeAll()
			return json.Valid(w.raw)
		}
		w.size += len(text) + 2*len(w.stack) + 2
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(w.stack) >= maxRenderDepth {
				w.writeValue([]byte(`"` + renderCutMarker + `"`))
				if !w.skipContainer() {
					return false
				}
				continue
			}
			w.writeValue(text)
			w.stack = append(w.stack, renderFrame{obj: tok == json.Delim('{')})
		case json.Delim('}'), json.Delim(']'):
			w.out.Write(text)
			w.stack = w.stack[:len(w.stack)-1]
		default:
			if f := w.top(); f != nil && f.obj && !f.awaiting {
				if f.count > 0 {
					w.out.WriteByte(',')
				}
				w.out.Write(text)
				f.awaiting = true
				continue
			}
			w.writeValue(text)
		}
	}
}

func (w *renderWalker) top() *renderFrame {
	if len(w.stack) == 0 {
		return nil
	}
	return &w.stack[len(w.stack)-1]
}

// tokenText is the input's bytes of the token just read.
func (w *renderWalker) tokenText() []byte {
	end := w.dec.InputOffset()
	text := bytes.TrimLeft(w.raw[w.prev:end], " \t\r\n,:")
	w.prev = end
	return text
}

// startsEntry is true when tok starts an object member or an array element:
// a place where the rendering can stop and still close as valid JSON.
func (w *renderWalker) startsEntry(tok json.Token) bool {
	f := w.top()
	if f == nil || tok == json.Delim('}') || tok == json.Delim(']') {
		return false
	}
	return !f.obj || !f.awaiting
}

// writeValue writes a value (a scalar or an opening bracket) after its
// separator.
func (w *renderWalker) writeValue(text []byte) {
	if f := w.top(); f != nil {
		switch {
		case f.obj:
			w.out.WriteByte(':')
			f.awaiting = false
		case f.count > 0:
			w.out.WriteByte(',')
		}
		f.count++
	}
	w.out.Write(text)
}

// skipContainer reads past the container just opened, counting how deep it
// nests.
func (w *renderWalker) skipContainer() bool {
	w.cutValues++
	level := 1
	w.deepest = max(w.deepest, len(w.stack)+level)
	for level > 0 {
		tok, err := w.dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			level++
			w.deepest = max(w.deepest, len(w.stack)+level)
		case json.Delim('}'), json.Delim(']'):
			level--
		}
	}
	w.prev = w.dec.InputOffset()
	return true
}

func (w *renderWalker) closeAll() {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].obj {
			w.out.WriteByte('}')
		} else {
			w.out.WriteByte(']')
		}
	}
	w.stack = nil
}

// maxDepth is how deep JSON text nests its objects and arrays (brackets
// inside strings do not count).
func maxDepth(raw []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}
