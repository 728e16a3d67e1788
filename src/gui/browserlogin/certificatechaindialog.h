#pragma once

#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QLabel;
class QPlainTextEdit;
class QSslSocket;
class QTreeWidget;

namespace portolan::gui {

// Shows the certificate chain of the site a login page is on. Qt WebEngine
// hands out the chain only with a certificate error, so when there was none
// the dialog asks the server itself over a TLS handshake of its own.
class CertificateChainDialog : public QDialog {
    Q_OBJECT
public:
    // `knownChain`: the chain from a certificate error, if there was one.
    CertificateChainDialog(const QUrl &url, const QList<QSslCertificate> &knownChain, const QString &problem,
                           QWidget *parent = nullptr);

    QTreeWidget *chainView() const { return m_chain; }

private:
    void fetchChain();
    void showChain(const QList<QSslCertificate> &chain);

    QUrl m_url;
    QLabel *m_status;          // owned by this, like the widgets below
    QTreeWidget *m_chain;
    QPlainTextEdit *m_details;
    QSslSocket *m_socket = nullptr;  // owned by this while fetching
};

} // namespace portolan::gui
