#pragma once

#include <QString>
#include <QVector>

namespace portolan {

enum class Severity { Error, Warning };

// Where a problem is: the file or URL, a 1-based line and column (0 when
// unknown) and the JSON pointer of the value inside that document.
struct SourceLocation {
    QString file;
    int line = 0;
    int column = 0;
    QString pointer;
};

struct Diagnostic {
    Severity severity = Severity::Error;
    QString message;
    SourceLocation location;
};

using Diagnostics = QVector<Diagnostic>;

QString severityName(Severity severity);
// "file:line:column: error: message (at /pointer)" — the form compilers use, so editors can jump to it.
QString formatDiagnostic(const Diagnostic &diagnostic);

} // namespace portolan
