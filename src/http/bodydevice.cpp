#include "bodydevice.h"

#include <QFileInfo>

#include <cstring>

namespace portolan::http {

BodyDevice::BodyDevice(RequestBodyData body, QObject *parent) : QIODevice(parent), m_body(std::move(body))
{
    for (const BodySegment &s : m_body.segments) {
        m_starts.append(m_size);
        m_size += s.isFile() ? QFileInfo(s.filePath).size() : s.bytes.size();
    }
}

bool BodyDevice::open(OpenMode mode)
{
    if (mode != ReadOnly)
        return false;
    return QIODevice::open(mode);
}

bool BodyDevice::seek(qint64 position)
{
    if (position < 0 || position > m_size)
        return false;
    return QIODevice::seek(position);
}

qint64 BodyDevice::readData(char *data, qint64 maxSize)
{
    qint64 done = 0;
    qint64 position = pos();
    while (done < maxSize && position < m_size) {
        int index = int(m_starts.size()) - 1;
        while (index > 0 && m_starts[index] > position)
            --index;
        const BodySegment &segment = m_body.segments[index];
        const qint64 offset = position - m_starts[index];
        qint64 n = 0;
        if (segment.isFile()) {
            if (m_openIndex != index) {
                m_file.close();
                m_file.setFileName(segment.filePath);
                if (!m_file.open(QIODevice::ReadOnly)) {
                    setErrorString(QStringLiteral("cannot read %1: %2").arg(segment.filePath, m_file.errorString()));
                    return done > 0 ? done : -1;
                }
                m_openIndex = index;
            }
            if (m_file.pos() != offset)
                m_file.seek(offset);
            n = m_file.read(data + done, maxSize - done);
            if (n <= 0) {
                setErrorString(QStringLiteral("%1 ended early or could not be read").arg(segment.filePath));
                return done > 0 ? done : -1;
            }
        } else {
            // The search above never lands on an empty segment: a later one starts at the same offset.
            n = qMin<qint64>(maxSize - done, segment.bytes.size() - offset);
            std::memcpy(data + done, segment.bytes.constData() + offset, size_t(n));
        }
        done += n;
        position += n;
    }
    return done;
}

} // namespace portolan::http
