#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace portolan::gui {

// Every colour the widgets draw beyond the palette's own roles, picked from
// the palette so that the light and the dark theme both read well: a fixed
// hue per meaning, with a variant for light and one for dark windows.
enum class Tone {
    Error,    // failed, invalid, expired
    Warning,  // needs attention: refreshable, redirect, "nothing satisfies"
    Success,  // valid, 2xx
    Info,     // neutral highlight: an environment {{variable}}
    Muted,    // secondary text: operationId, "inherited"
};

// True when the palette's window is dark (the dark theme, or a dark system theme).
bool isDark(const QPalette &palette);

// Text in this tone, readable on the palette's window and base colours.
QColor toneText(Tone tone, const QPalette &palette);
// A banner's or marker's background in this tone: a pale tint in the light
// theme, a deep one (never lighter than the window) in the dark theme.
QColor toneBackground(Tone tone, const QPalette &palette);
// Text drawn on toneBackground().
QColor toneBackgroundText(Tone tone, const QPalette &palette);

// Behind a search match in text drawn on the base colour (`whole line`: the
// weaker mark of a match in a line too long to draw in pieces).
QColor searchMatchBackground(const QPalette &palette, bool wholeLine = false);

// A filled badge (an HTTP method, DEPRECATED): `hue` darkened until white
// text on it reads (WCAG contrast 4.5), so it works on both themes.
QColor badgeFill(const QColor &hue);
inline QColor badgeText() { return QColor(Qt::white); }

// The primary action's fill (Send) and its text, from the palette's highlight.
QColor accentFill(const QPalette &palette);
QColor accentText(const QPalette &palette);

// WCAG 2 contrast ratio between two opaque colours (1 to 21).
double contrastRatio(const QColor &a, const QColor &b);

// Links in rich text: the palette's link colour, or one that reads on the
// window when it does not (a light theme's blue on a dark window).
QColor linkText(const QPalette &palette);
// `html` with every <a> coloured by linkText(): rich text takes its link colour
// when it is parsed, so views re-render with this when the palette changes.
QString withLinkColor(const QString &html, const QPalette &palette);

// "color:#rrggbb" / "background:#rrggbb" for rich text and style sheets.
QString cssColor(const QColor &color);

} // namespace portolan::gui
