package keys

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	ConfigureJWX()
	os.Exit(m.Run())
}
