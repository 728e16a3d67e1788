#pragma once

#include "diagnostic.h"

#include <QString>
#include <QStringEncoder>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

// Streams indented JSON to a FILE. The inspect summary of a 22,000-operation
// document is written this way because building it as a QJsonDocument first
// took half the run time and a quarter of the memory.
class JsonWriter {
public:
    explicit JsonWriter(std::FILE *out) : m_out(out) {}
    ~JsonWriter() { flush(); }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    void key(const char *name);
    void value(const QString &text);
    void value(const char *text) { value(QString::fromUtf8(text)); }
    void value(bool b);
    void value(int n);
    // key + value in one call
    template <typename T>
    void field(const char *name, const T &v)
    {
        key(name);
        value(v);
    }
    void flush();

private:
    void open(char bracket);
    void close(char bracket);
    void beforeValue();
    void newline();
    void appendString(const QString &text);
    void appendString(std::string_view utf8);

    std::FILE *m_out;
    std::string m_buffer;
    QStringEncoder m_encoder{QStringEncoder::Utf8, QStringEncoder::Flag::Stateless};
    std::string m_utf8;  // appendString's encoding of a QString; only grows
    std::vector<bool> m_hasItems;  // per open container
    bool m_afterKey = false;
};

// {"severity", "message", "file", "line", "column", "pointer"}: the form of
// every diagnostic portolan-cli prints as JSON.
void writeDiagnostic(JsonWriter &w, const portolan::Diagnostic &d);

} // namespace cli
