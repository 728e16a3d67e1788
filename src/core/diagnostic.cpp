#include "diagnostic.h"

namespace portolan {

QString severityName(Severity severity)
{
    return severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning");
}

QString formatDiagnostic(const Diagnostic &d)
{
    QString where = d.location.file;
    if (d.location.line > 0)
        where += QStringLiteral(":%1:%2").arg(d.location.line).arg(d.location.column);
    QString text = QStringLiteral("%1: %2: %3").arg(where, severityName(d.severity), d.message);
    if (!d.location.pointer.isEmpty())
        text += QStringLiteral(" (at %1)").arg(d.location.pointer);
    return text;
}

} // namespace portolan
