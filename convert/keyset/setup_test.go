package keyset

import (
	"os"
	"testing"

	"github.com/jwkdesk/jwkdesk/convert/keys"
)

func TestMain(m *testing.M) {
	keys.ConfigureJWX()
	os.Exit(m.Run())
}
