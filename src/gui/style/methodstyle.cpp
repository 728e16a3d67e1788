#include "methodstyle.h"

namespace portolan::gui {

QColor methodColor(const QString &method)
{
    if (method == QLatin1String("GET"))
        return QColor(0x2e, 0x7d, 0x32);
    if (method == QLatin1String("POST"))
        return QColor(0x15, 0x65, 0xc0);
    if (method == QLatin1String("PUT"))
        return QColor(0xe6, 0x8a, 0x00);
    if (method == QLatin1String("PATCH"))
        return QColor(0x6a, 0x1b, 0x9a);
    if (method == QLatin1String("DELETE"))
        return QColor(0xc6, 0x28, 0x28);
    if (method == QLatin1String("QUERY"))
        return QColor(0x00, 0x83, 0x8f);
    return QColor(0x60, 0x7d, 0x8b);  // HEAD, OPTIONS, TRACE and webhooks
}

} // namespace portolan::gui
