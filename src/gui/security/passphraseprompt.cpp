#include "passphraseprompt.h"

#include <QInputDialog>
#include <QLineEdit>

namespace portolan::gui {

void askPassphrase(QWidget *parent, const QString &title, const QString &reason,
                   std::function<void(const QByteArray &passphrase)> answered)
{
    auto *ask = new QInputDialog(parent);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(title);
    ask->setLabelText(QInputDialog::tr("%1\nPassphrase:").arg(reason));
    ask->setTextEchoMode(QLineEdit::Password);
    QObject::connect(ask, &QInputDialog::textValueSelected, parent,
                     [answered](const QString &passphrase) { answered(passphrase.toUtf8()); });
    ask->open();
}

} // namespace portolan::gui
