#pragma once

#include <QStringList>

namespace portolan::gui {

// Custom URL schemes an OAuth redirect URI may use (RFC 8252 §7.1), e.g.
// "org.portolan.demo:/callback". Qt WebEngine only lets a page navigate to
// them if they are registered before QApplication exists, so main() calls
// registerLoginUrlSchemes() first. Users add schemes with the setting
// "login/customSchemes" (read here, so organisation and application names
// must already be set).
QStringList loginUrlSchemes();
void registerLoginUrlSchemes();

} // namespace portolan::gui
