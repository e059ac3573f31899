package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// walkTree calls fn for o and everything under it: containers, every item of
// tab containers (shown or not), both sides of splits, scrolled content and
// the objects of widget renderers. fn returns false to skip o's children.
func walkTree(t *testing.T, o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) {
	t.Helper()
	if o == nil || !fn(o) {
		return
	}
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			walkTree(t, ch, fn)
		}
		return
	case *container.AppTabs:
		for _, it := range c.Items {
			walkTree(t, it.Content, fn)
		}
		return
	case *container.Split:
		walkTree(t, c.Leading, fn)
		walkTree(t, c.Trailing, fn)
		return
	case *container.Scroll:
		walkTree(t, c.Content, fn)
		return
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, ch := range test.TempWidgetRenderer(t, w).Objects() {
			walkTree(t, ch, fn)
		}
	}
}

// findButton is the shown button labelled text under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walkTree(t, o, func(c fyne.CanvasObject) bool {
		if !c.Visible() {
			return false
		}
		if b, ok := c.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}
