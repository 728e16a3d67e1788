#include "certificatechaindialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QSslSocket>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
QString name(const QStringList &parts)
{
    return parts.isEmpty() ? QString() : parts.first();
}
} // namespace

CertificateChainDialog::CertificateChainDialog(const QUrl &url, const QList<QSslCertificate> &knownChain,
                                               const QString &problem, QWidget *parent)
    : QDialog(parent), m_url(url), m_status(new QLabel(this)), m_chain(new QTreeWidget(this)),
      m_details(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Connection to %1").arg(url.host()));
    m_status->setWordWrap(true);
    m_chain->setHeaderLabels({tr("Certificate"), tr("Issued by"), tr("Valid until")});
    m_chain->setRootIsDecorated(false);
    m_chain->setAccessibleName(tr("Certificate chain"));
    m_chain->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setAccessibleName(tr("Certificate details"));
    connect(m_chain, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_details->setPlainText(item ? item->data(0, Qt::UserRole).toString() : QString());
    });
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chain);
    splitter->addWidget(m_details);
    splitter->setSizes({140, 260});
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(640, 480);

    if (url.scheme() != QLatin1String("https")) {
        m_status->setText(tr("⚠ This page is not encrypted (%1). Anything typed here can be read on the way.")
                              .arg(url.scheme()));
        splitter->hide();
    } else if (!knownChain.isEmpty()) {
        m_status->setText(tr("⚠ The certificate was refused: %1").arg(problem));
        showChain(knownChain);
    } else {
        m_status->setText(tr("Fetching the certificate chain of %1 …").arg(url.host()));
        fetchChain();
    }
}

void CertificateChainDialog::fetchChain()
{
    m_socket = new QSslSocket(this);
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_status->setText(tr("The connection to %1 is encrypted and the certificate is trusted.").arg(m_url.host()));
        showChain(m_socket->peerCertificateChain());
        m_socket->disconnectFromHost();
    });
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts << error.errorString();
        m_status->setText(tr("⚠ The certificate is not trusted: %1").arg(texts.join(QStringLiteral("; "))));
        showChain(m_socket->peerCertificateChain());
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this] {
        if (m_chain->topLevelItemCount() == 0)
            m_status->setText(tr("Could not fetch the certificate chain: %1").arg(m_socket->errorString()));
    });
    m_socket->connectToHostEncrypted(m_url.host(), quint16(m_url.port(443)));
}

void CertificateChainDialog::showChain(const QList<QSslCertificate> &chain)
{
    m_chain->clear();
    for (const QSslCertificate &certificate : chain) {
        auto *item = new QTreeWidgetItem(m_chain);
        item->setText(0, name(certificate.subjectInfo(QSslCertificate::CommonName)));
        item->setText(1, name(certificate.issuerInfo(QSslCertificate::CommonName)));
        item->setText(2, certificate.expiryDate().toString(Qt::ISODate));
        const QString fingerprint = QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':'));
        item->setData(0, Qt::UserRole, tr("SHA-256 fingerprint: %1\n\n%2").arg(fingerprint, certificate.toText()));
    }
    if (m_chain->topLevelItemCount() > 0)
        m_chain->setCurrentItem(m_chain->topLevelItem(0));
}

} // namespace portolan::gui
