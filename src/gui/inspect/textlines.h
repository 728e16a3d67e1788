#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace portolan::gui {

// Lines of a possibly huge text or binary body, cut once so that a view can
// paint any line without walking the whole body again. Built off the UI
// thread (see BodyRendering); then read-only and cheap to copy.
class TextLines {
public:
    enum class Mode { Text, Hex };

    TextLines() = default;
    // Text: lines end at '\n'; lines longer than `maxLineBytes` are cut into
    // several (at a UTF-8 character boundary) so a 50 MB one-line JSON stays paintable.
    static TextLines text(QByteArray bytes, int maxLineBytes = 1024);
    // Hex dump: 16 bytes per line, offset, hex and printable characters.
    static TextLines hex(QByteArray bytes);

    Mode mode() const { return m_mode; }
    qint64 count() const;
    QString line(qint64 index) const;
    const QByteArray &bytes() const { return m_bytes; }
    // The line holding byte `offset`.
    qint64 lineOf(qint64 offset) const;
    // Byte range [start, end) of a line (end excludes the newline).
    qint64 lineStart(qint64 index) const;
    qint64 lineEnd(qint64 index) const;

private:
    Mode m_mode = Mode::Text;
    QByteArray m_bytes;
    QVector<qint64> m_starts;  // Text mode: the first byte of each line
};

} // namespace portolan::gui
