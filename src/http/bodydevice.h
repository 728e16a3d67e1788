#pragma once

#include "httprequest.h"

#include <QFile>
#include <QIODevice>

#include <memory>

namespace portolan::http {

// Reads a RequestBodyData's segments in order as one seekable device, opening
// files only while they are read, so a large upload is streamed from disk.
class BodyDevice : public QIODevice {
    Q_OBJECT
public:
    explicit BodyDevice(RequestBodyData body, QObject *parent = nullptr);

    bool open(OpenMode mode) override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }
    bool seek(qint64 pos) override;
    bool atEnd() const override { return pos() >= m_size; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    RequestBodyData m_body;
    QList<qint64> m_starts;  // offset of each segment
    qint64 m_size = 0;
    int m_openIndex = -1;
    QFile m_file;            // the file segment being read
};

} // namespace portolan::http
