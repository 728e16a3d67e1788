#include "themecolors.h"

#include <QtMath>

namespace portolan::gui {

namespace {

// The hue each tone keeps in both themes (degrees); Muted has none.
int hueOf(Tone tone)
{
    switch (tone) {
    case Tone::Error: return 4;
    case Tone::Warning: return 38;
    case Tone::Success: return 140;
    case Tone::Info: return 210;
    case Tone::Muted: break;
    }
    return -1;
}

double relativeLuminance(const QColor &color)
{
    auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : qPow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor toneText(Tone tone, const QPalette &palette)
{
    if (tone == Tone::Muted)
        return palette.color(QPalette::PlaceholderText);
    const int hue = hueOf(tone);
    // Light theme: a deep shade; dark theme: a pale one. Warning yellow needs less light to read.
    if (isDark(palette))
        return QColor::fromHsl(hue, 200, tone == Tone::Warning ? 160 : 175);
    // Green and yellow look lighter than red and blue at one HSL lightness.
    const int lightness = tone == Tone::Success ? 65 : tone == Tone::Warning ? 75 : 90;
    return QColor::fromHsl(hue, 170, lightness);
}

QColor linkText(const QPalette &palette)
{
    const QColor link = palette.color(QPalette::Link);
    if (contrastRatio(link, palette.color(QPalette::Window)) >= 4.5)
        return link;
    return isDark(palette) ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x5f, 0xb4);
}

QString withLinkColor(const QString &html, const QPalette &palette)
{
    QString coloured = html;
    return coloured.replace(QLatin1String("<a href="),
                            QStringLiteral("<a style=\"%1\" href=").arg(cssColor(linkText(palette))));
}

QColor toneBackground(Tone tone, const QPalette &palette)
{
    const int hue = qMax(0, hueOf(tone));
    if (isDark(palette)) {
        // As dark as the window, tinted: the banner is told apart by hue, not by light.
        const int lightness = qMax(0, palette.color(QPalette::Window).lightness() - 6);
        return QColor::fromHsl(hue, tone == Tone::Muted ? 0 : 110, lightness);
    }
    return QColor::fromHsl(hue, tone == Tone::Muted ? 0 : 230, 236);
}

QColor toneBackgroundText(Tone tone, const QPalette &palette)
{
    if (tone == Tone::Muted)
        return palette.color(QPalette::WindowText);
    const int hue = hueOf(tone);
    return isDark(palette) ? QColor::fromHsl(hue, 150, 215) : QColor::fromHsl(hue, 160, 45);
}

QColor searchMatchBackground(const QPalette &palette, bool wholeLine)
{
    // Amber, as editors mark matches: bright under dark text, deep under light text.
    if (isDark(palette))
        return QColor::fromHsl(45, 220, wholeLine ? 55 : 85);
    return QColor::fromHsl(50, 255, wholeLine ? 220 : 178);
}

QColor badgeFill(const QColor &hue)
{
    QColor fill = hue;
    for (int i = 0; i < 20 && contrastRatio(fill, badgeText()) < 4.5; ++i)
        fill = fill.darker(108);
    return fill;
}

QColor accentFill(const QPalette &palette)
{
    return badgeFill(palette.color(QPalette::Highlight));
}

QColor accentText(const QPalette &)
{
    return badgeText();
}

QString cssColor(const QColor &color)
{
    return color.name(QColor::HexRgb);
}

} // namespace portolan::gui
