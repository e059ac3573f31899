package interop_test

import (
	"os"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

// TestMain sets jwx up as main does (keys.ConfigureJWX) before any test.
func TestMain(m *testing.M) {
	keys.ConfigureJWX()
	os.Exit(m.Run())
}
