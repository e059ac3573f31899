package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// lifetime is what the bar draws: a token's iat, nbf and exp (nil when the
// token has none) and the instant it was checked at.
type lifetime struct {
	iat, nbf, exp *time.Time
	now           time.Time
	state         string // a convert.State*: picks the colour of the span
}

// lifetimeBar is a drawn timeline from iat (or nbf) to exp with nbf and now
// marked, coloured by the time alone (valid now, not yet, expired): people
// read a picture faster than four timestamps, and a fresh token whose
// signature fails is still fresh.
type lifetimeBar struct {
	widget.BaseWidget
	lt    *lifetime
	empty string // the caption when there is nothing to draw
}

func newLifetimeBar() *lifetimeBar {
	b := &lifetimeBar{empty: "No token yet."}
	b.ExtendBaseWidget(b)
	return b
}

// set shows a lifetime (nil: the empty caption).
func (b *lifetimeBar) set(lt *lifetime, empty string) {
	b.lt = lt
	if empty != "" {
		b.empty = empty
	}
	b.Refresh()
}

func (b *lifetimeBar) CreateRenderer() fyne.WidgetRenderer {
	r := &lifetimeRenderer{bar: b,
		track:   canvas.NewRectangle(color.Transparent),
		span:    canvas.NewRectangle(color.Transparent),
		nowLine: canvas.NewLine(color.Transparent),
		nbfLine: canvas.NewLine(color.Transparent),
		caption: canvas.NewText("", color.Transparent),
	}
	for _, name := range []string{"iat", "nbf", "exp", "now"} {
		r.labels = append(r.labels, canvas.NewText(name, color.Transparent))
	}
	r.nowLine.StrokeWidth = 2
	r.nbfLine.StrokeWidth = 2
	r.track.CornerRadius = 3
	r.span.CornerRadius = 3
	r.refreshColours()
	return r
}

type lifetimeRenderer struct {
	bar              *lifetimeBar
	track, span      *canvas.Rectangle
	nowLine, nbfLine *canvas.Line
	caption          *canvas.Text
	labels           []*canvas.Text // iat, nbf, exp, now
}

const barHeight = 14

func (r *lifetimeRenderer) MinSize() fyne.Size {
	text := theme.TextSize()
	return fyne.NewSize(240, barHeight+2*text+12)
}

func (r *lifetimeRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.track, r.span, r.nbfLine, r.nowLine, r.caption}
	for _, l := range r.labels {
		objs = append(objs, l)
	}
	return objs
}

func (r *lifetimeRenderer) Destroy() {}

func (r *lifetimeRenderer) Refresh() {
	r.refreshColours()
	r.Layout(r.bar.Size())
	canvas.Refresh(r.bar)
}

func (r *lifetimeRenderer) refreshColours() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := r.bar.Theme()
	fg := th.Color(theme.ColorNameForeground, v)
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.span.FillColor = th.Color(timeColour(r.bar.lt), v)
	r.nowLine.StrokeColor = fg
	r.nbfLine.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	r.caption.Color = fg
	r.caption.TextSize = th.Size(theme.SizeNameCaptionText)
	for _, l := range r.labels {
		l.Color = th.Color(theme.ColorNameForeground, v)
		l.TextSize = th.Size(theme.SizeNameCaptionText)
	}
}

// timeColour is the span's colour at lt.now: success inside the lifetime,
// warning before nbf or from exp on (the banner's amber for those times).
func timeColour(lt *lifetime) fyne.ThemeColorName {
	switch {
	case lt == nil:
		return theme.ColorNameDisabled
	case lt.exp != nil && !lt.now.Before(*lt.exp), lt.nbf != nil && lt.now.Before(*lt.nbf):
		return theme.ColorNameWarning
	}
	return theme.ColorNameSuccess
}

func (r *lifetimeRenderer) Layout(size fyne.Size) {
	lt := r.bar.lt
	top := r.caption.TextSize + 4
	r.track.Move(fyne.NewPos(0, top))
	r.track.Resize(fyne.NewSize(size.Width, barHeight))
	if lt == nil {
		r.span.Hide()
		r.nowLine.Hide()
		r.nbfLine.Hide()
		for _, l := range r.labels {
			l.Hide()
		}
		r.caption.Text = r.bar.empty
		r.caption.Move(fyne.NewPos(0, top+barHeight+2))
		r.caption.Refresh()
		return
	}
	x := lt.scale(size.Width)
	r.layoutSpan(lt, x, top, size.Width)
	place := func(i int, t *time.Time, above bool) {
		l := r.labels[i]
		if t == nil {
			l.Hide()
			return
		}
		l.Show()
		w := fyne.MeasureText(l.Text, l.TextSize, l.TextStyle).Width
		px := min(max(x(*t)-w/2, 0), size.Width-w)
		y := top + barHeight + 2
		if above {
			y = 0
		}
		l.Move(fyne.NewPos(px, y))
		l.Refresh()
	}
	place(0, lt.iat, false)
	place(1, lt.nbf, true)
	place(2, lt.exp, false)
	now := lt.now
	place(3, &now, true)
	r.layoutLines(lt, x, top)
	r.caption.Text = ""
	if lt.exp == nil {
		r.caption.Text = "no exp: never expires"
		r.caption.Move(fyne.NewPos(size.Width-fyne.MeasureText(r.caption.Text, r.caption.TextSize, r.caption.TextStyle).Width, 0))
	}
	r.caption.Refresh()
}

// scale maps an instant to its x on a bar width wide: the earliest of the
// claims and now at the left, the latest at the right, with a 4 % margin
// each side so that markers at the ends stay visible.
func (lt *lifetime) scale(width float32) func(time.Time) float32 {
	start, end := lt.now, lt.now
	for _, t := range []*time.Time{lt.iat, lt.nbf, lt.exp} {
		if t != nil && t.Before(start) {
			start = *t
		}
		if t != nil && t.After(end) {
			end = *t
		}
	}
	// Seconds as floats, not time.Duration: a Duration saturates at 292
	// years, and NumericDates run from year 1 to 9999.
	total := seconds(end) - seconds(start)
	if total <= 0 {
		total = 1
	}
	return func(t time.Time) float32 {
		f := (seconds(t) - seconds(start)) / total
		return width * float32(0.04+0.92*f)
	}
}

func seconds(t time.Time) float64 { return float64(t.Unix()) + float64(t.Nanosecond())/1e9 }

// layoutSpan draws the valid span: from nbf (or iat) to exp, open at the
// end without exp, at the start without either.
func (r *lifetimeRenderer) layoutSpan(lt *lifetime, x func(time.Time) float32, top, width float32) {
	from := lt.nbf
	if from == nil {
		from = lt.iat
	}
	r.span.Show()
	switch {
	case from != nil && lt.exp != nil:
		r.span.Move(fyne.NewPos(x(*from), top))
		r.span.Resize(fyne.NewSize(max(x(*lt.exp)-x(*from), 2), barHeight))
	case lt.exp != nil: // valid until exp, start unknown
		r.span.Move(fyne.NewPos(0, top))
		r.span.Resize(fyne.NewSize(x(*lt.exp), barHeight))
	case from != nil: // no exp: valid from its start on, forever
		r.span.Move(fyne.NewPos(x(*from), top))
		r.span.Resize(fyne.NewSize(width-x(*from), barHeight))
	default:
		r.span.Hide()
	}
}

// layoutLines draws the line of now across the bar, and of nbf on it.
func (r *lifetimeRenderer) layoutLines(lt *lifetime, x func(time.Time) float32, top float32) {
	r.nowLine.Show()
	r.nowLine.Position1 = fyne.NewPos(x(lt.now), top-2)
	r.nowLine.Position2 = fyne.NewPos(x(lt.now), top+barHeight+2)
	if lt.nbf == nil {
		r.nbfLine.Hide()
		return
	}
	r.nbfLine.Show()
	r.nbfLine.Position1 = fyne.NewPos(x(*lt.nbf), top)
	r.nbfLine.Position2 = fyne.NewPos(x(*lt.nbf), top+barHeight)
}
