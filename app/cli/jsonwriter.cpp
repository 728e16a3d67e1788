#include "jsonwriter.h"

#include "jsonscan.h"

#include <algorithm>

namespace cli {

void JsonWriter::makeRoom(std::size_t n)
{
    flush();
    if (n > m_capacity) {  // a text longer than a chunk
        m_data.reset(new char[n]);
        m_capacity = n;
    }
}

void JsonWriter::newline()
{
    const std::size_t indent = m_hasItems.size() * 4;
    char *at = room(1 + indent);
    *at = '\n';
    std::memset(at + 1, ' ', indent);
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_hasItems.empty()) {
        if (m_hasItems.back())
            append(',');
        m_hasItems.back() = true;
        newline();
    }
}

void JsonWriter::open(char bracket)
{
    beforeValue();
    append(bracket);
    m_hasItems.push_back(false);
}

void JsonWriter::close(char bracket)
{
    const bool hadItems = m_hasItems.back();
    m_hasItems.pop_back();
    if (hadItems)
        newline();
    append(bracket);
    if (m_hasItems.empty())
        append('\n');
}

void JsonWriter::key(Key name)
{
    // Keys are written a quarter of a million times for a large summary:
    // these are copied, not scanned for characters to escape.
    Q_ASSERT(portolan::findJsonStringSpecialOrNonAscii(name.text.data(), name.text.data() + name.text.size())
             == name.text.data() + name.text.size());
    beforeValue();
    char *const at = room(name.text.size() + 4);  // the quotes, the colon and a space
    *at = '"';
    std::memcpy(at + 1, name.text.data(), name.text.size());
    std::memcpy(at + 1 + name.text.size(), "\": ", 3);
    m_afterKey = true;
}

void JsonWriter::nameKey(const QString &name)
{
    beforeValue();
    appendString(name);
    append(": ");
    m_afterKey = true;
}

void JsonWriter::value(const QString &text)
{
    beforeValue();
    appendString(text);
}

void JsonWriter::value(std::string_view utf8)
{
    // ASCII, the usual case, is written as it is, most of it in one copy;
    // other text goes through QString, which writes invalid UTF-8 as U+FFFD.
    const char *const end = utf8.data() + utf8.size();
    const char *const stop = portolan::findJsonStringSpecialOrNonAscii(utf8.data(), end);
    if (stop == end) {
        beforeValue();
        char *const at = room(utf8.size() + 2);
        *at = '"';
        std::memcpy(at + 1, utf8.data(), utf8.size());
        at[utf8.size() + 1] = '"';
    } else if (std::all_of(stop, end, [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        beforeValue();
        appendString(utf8);
    } else {
        value(QString::fromUtf8(utf8.data(), qsizetype(utf8.size())));
    }
}

void JsonWriter::value(bool b)
{
    beforeValue();
    append(b ? std::string_view("true") : std::string_view("false"));
}

void JsonWriter::value(int n)
{
    beforeValue();
    append(std::to_string(n));
}

void JsonWriter::appendString(const QString &text)
{
    // Encoded straight into the buffer between its quotes: most texts need no escape.
    const std::size_t most = std::size_t(m_encoder.requiredSpace(text.size()));
    char *const quote = room(most + 2);
    char *const begin = quote + 1;
    char *const end = m_encoder.appendToBuffer(begin, text);
    if (portolan::findJsonStringSpecial(begin, end) == end) {
        *quote = '"';
        *end = '"';
        m_size -= std::size_t(quote + most + 2 - (end + 1));  // the room not used
        return;
    }
    m_toEscape.assign(begin, end);
    m_size = std::size_t(quote - m_data.get());
    appendString(std::string_view(m_toEscape));
}

void JsonWriter::appendString(std::string_view utf8)
{
    append('"');
    appendEscaped(utf8);
    append('"');
}

void JsonWriter::appendEscaped(std::string_view utf8)
{
    const char *end = utf8.data() + utf8.size();
    for (const char *p = utf8.data();;) {
        const char *special = portolan::findJsonStringSpecial(p, end);  // bytes before it need no escape
        append(std::string_view(p, std::size_t(special - p)));
        if (special == end)
            return;
        switch (const char c = *special) {
        case '"': append("\\\""); break;
        case '\\': append("\\\\"); break;
        case '\n': append("\\n"); break;
        case '\r': append("\\r"); break;
        case '\t': append("\\t"); break;
        case '\b': append("\\b"); break;
        case '\f': append("\\f"); break;
        default: {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", c);
            append(escape);
        }
        }
        p = special + 1;
    }
}

void JsonWriter::flush()
{
    std::fwrite(m_data.get(), 1, m_size, m_out);
    std::fflush(m_out);
    m_size = 0;
}

void writeDiagnostic(JsonWriter &w, const portolan::Diagnostic &d)
{
    w.beginObject();
    w.field("severity", portolan::severityName(d.severity));
    w.field("message", d.message);
    w.field("file", d.location.file);
    w.field("line", d.location.line);
    w.field("column", d.location.column);
    w.field("pointer", d.location.pointer);
    w.endObject();
}

} // namespace cli
