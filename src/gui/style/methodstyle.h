#pragma once

#include <QColor>
#include <QString>

namespace portolan::gui {

// The colour an HTTP method's badge is painted in, the same everywhere
// (navigator, operation header) so that users learn to read them at a glance.
QColor methodColor(const QString &method);

} // namespace portolan::gui
