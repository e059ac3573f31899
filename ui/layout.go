package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// widthLayout lays its objects out in one column at most width wide and
// says how tall they are at that width: wrapped text in a dialog takes the
// dialog's width, instead of one word per line or one line off the screen.
type widthLayout struct{ width float32 }

func (l widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		if o.Size().Width != l.width {
			o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		}
		h += o.MinSize().Height
	}
	return fyne.NewSize(l.width, h)
}

func (l widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		o.Move(fyne.NewPos(0, y))
		y += o.Size().Height
	}
}

// atWidth stacks objects in a column width wide.
func atWidth(width float32, objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(widthLayout{width: width}, objects...)
}

// textLabel is a label that wraps between words and can be selected.
func textLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
