#include "textlines.h"

#include <algorithm>

namespace portolan::gui {

namespace {
constexpr int kHexBytesPerLine = 16;
}

TextLines TextLines::text(QByteArray bytes, int maxLineBytes)
{
    TextLines lines;
    lines.m_mode = Mode::Text;
    lines.m_bytes = std::move(bytes);
    const char *data = lines.m_bytes.constData();
    const qint64 size = lines.m_bytes.size();
    lines.m_starts.reserve(int(std::min<qint64>(size / 40 + 1, 4'000'000)));
    qint64 start = 0;
    while (start < size || lines.m_starts.isEmpty()) {
        lines.m_starts.append(start);
        if (start >= size)
            break;
        const qint64 limit = std::min(size, start + maxLineBytes);
        const void *newline = memchr(data + start, '\n', size_t(limit - start));
        if (newline) {
            start = static_cast<const char *>(newline) - data + 1;
            continue;
        }
        qint64 cut = limit;
        // Never split a UTF-8 sequence: back up over continuation bytes.
        while (cut < size && cut > start + 1 && (uchar(data[cut]) & 0xC0) == 0x80)
            --cut;
        start = cut;
    }
    return lines;
}

TextLines TextLines::hex(QByteArray bytes)
{
    TextLines lines;
    lines.m_mode = Mode::Hex;
    lines.m_bytes = std::move(bytes);
    return lines;
}

qint64 TextLines::count() const
{
    if (m_mode == Mode::Hex)
        return (m_bytes.size() + kHexBytesPerLine - 1) / kHexBytesPerLine;
    return m_starts.size();
}

qint64 TextLines::lineStart(qint64 index) const
{
    if (m_mode == Mode::Hex)
        return index * kHexBytesPerLine;
    return m_starts.value(int(index), m_bytes.size());
}

qint64 TextLines::lineEnd(qint64 index) const
{
    if (m_mode == Mode::Hex)
        return std::min<qint64>(m_bytes.size(), (index + 1) * kHexBytesPerLine);
    qint64 end = index + 1 < m_starts.size() ? m_starts[int(index + 1)] : m_bytes.size();
    if (end > lineStart(index) && m_bytes.at(end - 1) == '\n')
        --end;
    if (end > lineStart(index) && m_bytes.at(end - 1) == '\r')
        --end;
    return end;
}

qint64 TextLines::lineOf(qint64 offset) const
{
    if (m_mode == Mode::Hex)
        return offset / kHexBytesPerLine;
    const auto it = std::upper_bound(m_starts.cbegin(), m_starts.cend(), offset);
    return std::max<qint64>(0, (it - m_starts.cbegin()) - 1);
}

QString TextLines::line(qint64 index) const
{
    if (index < 0 || index >= count())
        return {};
    const qint64 start = lineStart(index);
    const qint64 end = lineEnd(index);
    if (m_mode == Mode::Text)
        return QString::fromUtf8(m_bytes.constData() + start, int(end - start));
    QString text = QStringLiteral("%1  ").arg(start, 8, 16, QLatin1Char('0'));
    QString printable;
    for (qint64 i = start; i < start + kHexBytesPerLine; ++i) {
        if (i < end) {
            const uchar byte = uchar(m_bytes.at(i));
            text += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
            printable += (byte >= 0x20 && byte < 0x7F) ? QChar(byte) : QChar(u'·');
        } else {
            text += QStringLiteral("   ");
        }
        if (i == start + 7)
            text += QLatin1Char(' ');
    }
    return text + QLatin1Char(' ') + printable;
}

} // namespace portolan::gui
