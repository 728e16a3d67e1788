#include "httprequest.h"

#include <QFileInfo>
#include <QRandomGenerator>

namespace portolan::http {

bool hasHeader(const HeaderList &headers, const QByteArray &name)
{
    for (const HeaderField &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray headerValue(const HeaderList &headers, const QByteArray &name)
{
    for (const HeaderField &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h.value;
    }
    return {};
}

QList<QByteArray> headerValues(const HeaderList &headers, const QByteArray &name)
{
    QList<QByteArray> values;
    for (const HeaderField &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            values.append(h.value);
    }
    return values;
}

void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    qsizetype at = -1;
    for (qsizetype i = headers.size() - 1; i >= 0; --i) {
        if (headers[i].name.compare(name, Qt::CaseInsensitive) == 0) {
            headers.removeAt(i);
            at = i;
        }
    }
    if (at < 0)
        headers.append({name, value});
    else
        headers.insert(at, {name, value});
}

void removeHeader(HeaderList &headers, const QByteArray &name)
{
    headers.removeIf([&](const HeaderField &h) { return h.name.compare(name, Qt::CaseInsensitive) == 0; });
}

qint64 RequestBodyData::size() const
{
    qint64 total = 0;
    for (const BodySegment &s : segments) {
        if (!s.isFile()) {
            total += s.bytes.size();
            continue;
        }
        const QFileInfo info(s.filePath);
        if (!info.isFile() || !info.isReadable())
            return -1;
        total += info.size();
    }
    return total;
}

bool RequestBodyData::isInMemory() const
{
    for (const BodySegment &s : segments) {
        if (s.isFile())
            return false;
    }
    return true;
}

QByteArray RequestBodyData::inMemoryBytes() const
{
    if (!isInMemory())
        return {};
    QByteArray all;
    for (const BodySegment &s : segments)
        all += s.bytes;
    return all;
}

RequestBodyData RequestBodyData::fromBytes(const QByteArray &bytes)
{
    RequestBodyData body;
    body.segments.append({bytes, {}});
    return body;
}

RequestBodyData RequestBodyData::fromFile(const QString &path)
{
    RequestBodyData body;
    body.segments.append({{}, path});
    return body;
}

namespace {
// RFC 7578 / WHATWG: quotes and line breaks in a field or file name are percent-encoded.
QByteArray dispositionName(const QString &name)
{
    QByteArray out = name.toUtf8();
    out.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
    return out;
}
} // namespace

RequestBodyData multipartFormData(const QList<FormPart> &parts, QByteArray *contentType)
{
    // Always 24 hex digits: the same form has the same size whatever the draw.
    const QByteArray boundary = "portolan-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0')
        + QByteArray::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, '0');
    RequestBodyData body;
    auto appendBytes = [&](const QByteArray &bytes) {
        if (!body.segments.isEmpty() && !body.segments.last().isFile())
            body.segments.last().bytes += bytes;
        else
            body.segments.append({bytes, {}});
    };
    for (const FormPart &part : parts) {
        QByteArray header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + dispositionName(part.name) + '"';
        if (!part.filePath.isEmpty()) {
            const QString fileName = part.fileName.isEmpty() ? QFileInfo(part.filePath).fileName() : part.fileName;
            header += "; filename=\"" + dispositionName(fileName) + '"';
        }
        header += "\r\n";
        if (!part.contentType.isEmpty())
            header += "Content-Type: " + part.contentType + "\r\n";
        appendBytes(header + "\r\n");
        if (part.filePath.isEmpty())
            appendBytes(part.value);
        else
            body.segments.append({{}, part.filePath});
        appendBytes("\r\n");
    }
    appendBytes("--" + boundary + "--\r\n");
    *contentType = "multipart/form-data; boundary=" + boundary;
    return body;
}

} // namespace portolan::http
