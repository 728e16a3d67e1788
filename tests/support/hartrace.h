#pragma once

#include <QByteArray>
#include <QStringList>

namespace portolan::test {

// A HAR file as a test reads it: its requests as "METHOD /path STATUS", in
// order, and its bytes (to look for secrets in).
struct HarTrace {
    QStringList lines;
    QByteArray har;

    static HarTrace read(const QString &path);
};

} // namespace portolan::test
