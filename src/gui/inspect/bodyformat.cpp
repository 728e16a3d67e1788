#include "bodyformat.h"

#include <QMutex>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace portolan::gui {

namespace {
// Previews beyond these sizes would cost more than they show.
constexpr qint64 kMaxXmlPrettyBytes = 20 * 1024 * 1024;
constexpr qint64 kMaxHtmlPreviewBytes = 2 * 1024 * 1024;
constexpr qint64 kMaxImageBytes = 64 * 1024 * 1024;

bool looksBinary(const QByteArray &bytes)
{
    const qint64 sample = std::min<qint64>(bytes.size(), 4096);
    int control = 0;
    for (qint64 i = 0; i < sample; ++i) {
        const uchar c = uchar(bytes.at(i));
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            ++control;
    }
    return control > sample / 20;
}
} // namespace

BodyKind bodyKind(const QByteArray &contentType, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return BodyKind::Empty;
    const QByteArray type = contentType.split(';').constFirst().trimmed().toLower();
    if (type.endsWith("/json") || type.endsWith("+json"))
        return BodyKind::Json;
    if (type == "text/html" || type == "application/xhtml+xml")
        return BodyKind::Html;
    if (type.endsWith("/xml") || type.endsWith("+xml"))
        return BodyKind::Xml;
    if (type.startsWith("image/"))
        return BodyKind::Image;
    if (looksBinary(bytes))
        return BodyKind::Binary;
    const QByteArray start = bytes.left(64).trimmed();
    if (start.startsWith('{') || start.startsWith('['))
        return BodyKind::Json;
    if (start.startsWith("<?xml"))
        return BodyKind::Xml;
    return BodyKind::Text;
}

bool prettyJson(const QByteArray &json, QByteArray *out)
{
    const char *data = json.constData();
    const qint64 size = json.size();
    qint64 i = 0;
    while (i < size && isspace(uchar(data[i])))
        ++i;
    if (i == size || (data[i] != '{' && data[i] != '['))
        return false;
    QByteArray result;
    result.reserve(size + size / 2);
    int depth = 0;
    const auto newline = [&result](int indent) {
        result += '\n';
        result.append(QByteArray(indent * 2, ' '));
    };
    for (; i < size; ++i) {
        const char c = data[i];
        switch (c) {
        case '"': {
            const qint64 start = i++;
            while (i < size && data[i] != '"')
                i += data[i] == '\\' ? 2 : 1;
            if (i >= size)
                return false;
            result.append(data + start, i - start + 1);
            break;
        }
        case '{':
        case '[': {
            qint64 next = i + 1;
            while (next < size && isspace(uchar(data[next])))
                ++next;
            if (next < size && (data[next] == '}' || data[next] == ']')) {
                result += c;
                result += data[next];  // {} and [] stay on one line
                i = next;
                break;
            }
            ++depth;
            result += c;
            newline(depth);
            break;
        }
        case '}':
        case ']':
            if (--depth < 0)
                return false;
            newline(depth);
            result += c;
            break;
        case ',':
            result += ',';
            newline(depth);
            break;
        case ':':
            result += ": ";
            break;
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            break;
        default:
            result += c;
        }
    }
    if (depth != 0)
        return false;
    *out = std::move(result);
    return true;
}

bool prettyXml(const QByteArray &xml, QByteArray *out)
{
    if (xml.size() > kMaxXmlPrettyBytes)
        return false;
    QXmlStreamReader reader(xml);
    QByteArray result;
    QXmlStreamWriter writer(&result);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isWhitespace())
            continue;
        writer.writeCurrentToken(reader);
    }
    if (reader.hasError())
        return false;
    *out = result;
    return true;
}

qint64 findText(const QByteArray &haystack, const QByteArray &needle, qint64 from)
{
    if (needle.isEmpty() || haystack.size() < needle.size())
        return -1;
    const QByteArray lower = needle.toLower();
    const char *data = haystack.constData();
    const qint64 last = haystack.size() - lower.size();
    const auto lowered = [data](qint64 at) { return char(tolower(static_cast<unsigned char>(data[at]))); };
    const auto scan = [&](qint64 begin, qint64 end) -> qint64 {
        const char first = lower.at(0);
        for (qint64 i = begin; i <= end; ++i) {
            if (lowered(i) != first)
                continue;
            qint64 k = 1;
            while (k < lower.size() && lowered(i + k) == lower.at(k))
                ++k;
            if (k == lower.size())
                return i;
        }
        return -1;
    };
    from = std::clamp<qint64>(from, 0, last + 1);
    const qint64 found = scan(from, last);
    return found >= 0 ? found : scan(0, std::min(from - 1, last));
}

RenderedBody renderBody(const QByteArray &bodyBytes, const QByteArray &contentType)
{
    RenderedBody body;
    body.size = bodyBytes.size();
    body.kind = bodyKind(contentType, bodyBytes);
    body.raw = TextLines::text(bodyBytes);
    body.hex = TextLines::hex(bodyBytes);
    QByteArray pretty;
    if (body.kind == BodyKind::Json && prettyJson(bodyBytes, &pretty)) {
        body.pretty = TextLines::text(pretty);
        body.prettified = true;
    } else if (body.kind == BodyKind::Xml && prettyXml(bodyBytes, &pretty)) {
        body.pretty = TextLines::text(pretty);
        body.prettified = true;
    } else {
        body.pretty = body.raw;
    }
    if (body.kind == BodyKind::Image && bodyBytes.size() <= kMaxImageBytes)
        body.image = QImage::fromData(bodyBytes);
    if (body.kind == BodyKind::Html)
        body.html = QString::fromUtf8(bodyBytes.left(kMaxHtmlPreviewBytes));
    return body;
}

QByteArray readBody(const http::ResponseBody &body)
{
    static QMutex fileReads;
    QMutexLocker lock(&fileReads);
    return body.read();
}

} // namespace portolan::gui
