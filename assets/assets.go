// Package assets holds JWK Desk's icon and desktop files, embedded.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon (drawn in icon.svg, rendered to icon.png).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
