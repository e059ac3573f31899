package assets

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The version both faces print is the one the packaged app declares.
func TestVersionMatchesFyneAppToml(t *testing.T) {
	raw, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `Version = "`+Version+`"`) {
		t.Errorf("FyneApp.toml version differs from assets.Version %s", Version)
	}
}

// The embedded icon is the PNG FyneApp.toml names.
func TestIconIsPNG(t *testing.T) {
	if !bytes.HasPrefix(IconPNG, []byte("\x89PNG\r\n\x1a\n")) {
		t.Error("icon.png is not a PNG")
	}
}
