#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

class QWidget;

namespace portolan::gui {

// Asks for a private key's passphrase in a window-modal dialog without
// blocking: `answered` runs with what the user typed once they confirm, and
// not at all when they cancel. The passphrase is handed over, never kept here.
void askPassphrase(QWidget *parent, const QString &title, const QString &reason,
                   std::function<void(const QByteArray &passphrase)> answered);

} // namespace portolan::gui
