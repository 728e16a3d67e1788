#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

namespace portolan::http {

// One header line. A list of these keeps order and repeated names, which a
// map would lose.
struct HeaderField {
    QByteArray name;
    QByteArray value;
    bool operator==(const HeaderField &o) const { return name == o.name && value == o.value; }
};
using HeaderList = QList<HeaderField>;

// Case-insensitive header lookups on a HeaderList.
bool hasHeader(const HeaderList &headers, const QByteArray &name);
QByteArray headerValue(const HeaderList &headers, const QByteArray &name);  // the first one
QList<QByteArray> headerValues(const HeaderList &headers, const QByteArray &name);
// Replaces every field called `name` by one, at the place of the first.
void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value);
void removeHeader(HeaderList &headers, const QByteArray &name);

// A piece of a request body: bytes in memory or a file streamed from disk.
struct BodySegment {
    QByteArray bytes;
    QString filePath;  // when set, the segment is this file's content
    bool isFile() const { return !filePath.isEmpty(); }
};

// The bytes of a request body, in order. A multipart body with a large file
// is a few small segments around the file, so nothing big is held in memory.
struct RequestBodyData {
    QList<BodySegment> segments;

    bool isEmpty() const { return segments.isEmpty(); }
    // -1 when a file cannot be read.
    qint64 size() const;
    // The whole body when it is entirely in memory, else an empty array.
    QByteArray inMemoryBytes() const;
    bool isInMemory() const;
    static RequestBodyData fromBytes(const QByteArray &bytes);
    static RequestBodyData fromFile(const QString &path);
};

// One field of a multipart/form-data body: a value, or a file streamed from disk.
struct FormPart {
    QString name;
    QByteArray value;
    QString filePath;       // set for a file field
    QString fileName;       // the filename sent; defaults to the file's own name
    QByteArray contentType; // empty = no Content-Type line (plain text fields)
};

// A multipart/form-data body (RFC 7578) with a fresh random boundary, parts in
// the given order; `contentType` receives the header value naming the boundary.
RequestBodyData multipartFormData(const QList<FormPart> &parts, QByteArray *contentType);

// A request ready to be sent: what the user sees and edits before sending.
struct HttpRequest {
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    RequestBodyData body;
};

} // namespace portolan::http
