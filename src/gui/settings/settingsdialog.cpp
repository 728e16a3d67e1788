#include "settingsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace portolan::gui {

namespace {
void pickFont(QFontComboBox *box, QSpinBox *size, const QString &stored, const QFont &fallback)
{
    QFont font = fallback;
    if (!stored.isEmpty())
        font.fromString(stored);
    box->setCurrentFont(font);
    size->setValue(int(font.pointSizeF() > 0 ? font.pointSizeF() : 10));
}

QString fontText(const QFontComboBox *box, const QSpinBox *size, const QFont &fallback, const QString &stored)
{
    QFont font = box->currentFont();
    font.setPointSize(size->value());
    // Never chosen and left as the platform's: store nothing, so the platform keeps deciding.
    if (stored.isEmpty() && font.family() == fallback.family() && font.pointSize() == fallback.pointSize())
        return {};
    return font.toString();
}

// A path field with a "Browse…" button that fills it from a file picker.
QHBoxLayout *fileRow(QWidget *dialog, QLineEdit *field, const QString &title, const QString &filter)
{
    auto *browse = new QPushButton(QObject::tr("Browse…"), dialog);
    browse->setAccessibleName(QObject::tr("Choose %1").arg(field->accessibleName()));
    QObject::connect(browse, &QPushButton::clicked, dialog, [dialog, field, title, filter] {
        const QString file = QFileDialog::getOpenFileName(dialog, title, field->text(), filter);
        if (!file.isEmpty())
            field->setText(file);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(browse);
    return row;
}
} // namespace

SettingsDialog::SettingsDialog(const AppSettings &settings, QWidget *parent)
    : QDialog(parent), m_original(settings), m_proxy(new QComboBox(this)), m_proxyHost(new QLineEdit(this)), m_proxyPort(new QSpinBox(this)),
      m_maxDecodedBody(new QSpinBox(this)),
      m_caFiles(new QListWidget(this)),
      m_clientCertificate(new QLineEdit(this)), m_clientKey(new QLineEdit(this)), m_theme(new QComboBox(this)), m_interfaceFont(new QFontComboBox(this)),
      m_interfaceSize(new QSpinBox(this)), m_monospaceFont(new QFontComboBox(this)), m_monospaceSize(new QSpinBox(this))
{
    setWindowTitle(tr("Settings"));

    m_proxy->addItems({tr("Use the system settings"), tr("No proxy"), tr("Manual")});
    m_proxy->setCurrentIndex(int(settings.proxy));
    m_proxy->setAccessibleName(tr("Proxy"));
    m_proxyHost->setText(settings.proxyHost);
    m_proxyHost->setPlaceholderText(tr("proxy.example.com"));
    m_proxyHost->setAccessibleName(tr("Proxy host"));
    m_proxyPort->setRange(1, 65535);
    m_proxyPort->setValue(settings.proxyPort);
    m_proxyPort->setAccessibleName(tr("Proxy port"));
    connect(m_proxy, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateProxyFields);
    auto *network = new QGroupBox(tr("Network"), this);
    auto *networkForm = new QFormLayout(network);
    networkForm->addRow(tr("&Proxy:"), m_proxy);
    auto *hostPort = new QHBoxLayout;
    hostPort->addWidget(m_proxyHost, 1);
    hostPort->addWidget(m_proxyPort);
    networkForm->addRow(tr("Host and port:"), hostPort);
    m_maxDecodedBody->setRange(1, 1024 * 1024);
    m_maxDecodedBody->setSuffix(tr(" MB"));
    m_maxDecodedBody->setValue(settings.maxDecodedBodyMB);
    m_maxDecodedBody->setAccessibleName(tr("Largest decoded response body"));
    m_maxDecodedBody->setToolTip(tr("A compressed response is decoded up to this size; past it the exchange stops "
                                    "with the part decoded so far."));
    networkForm->addRow(tr("&Decode compressed bodies up to:"), m_maxDecodedBody);

    m_caFiles->addItems(settings.caCertificateFiles);
    m_caFiles->setAccessibleName(tr("Extra CA certificate files"));
    m_caFiles->setMaximumHeight(90);
    auto *addCa = new QPushButton(tr("Add…"), this);
    auto *removeCa = new QPushButton(tr("Remove"), this);
    connect(addCa, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("CA certificates (PEM)"), QString(),
                                                                tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
        m_caFiles->addItems(files);
    });
    connect(removeCa, &QPushButton::clicked, this, [this] { delete m_caFiles->currentItem(); });
    auto *tls = new QGroupBox(tr("TLS — certificate authorities trusted besides the system's"), this);
    auto *tlsLayout = new QHBoxLayout(tls);
    tlsLayout->addWidget(m_caFiles, 1);
    auto *caButtons = new QVBoxLayout;
    caButtons->addWidget(addCa);
    caButtons->addWidget(removeCa);
    caButtons->addStretch();
    tlsLayout->addLayout(caButtons);

    m_clientCertificate->setText(settings.clientCertificateFile);
    m_clientCertificate->setAccessibleName(tr("Client certificate file"));
    m_clientCertificate->setPlaceholderText(tr("none"));
    m_clientKey->setText(settings.clientKeyFile);
    m_clientKey->setAccessibleName(tr("Client private key file"));
    m_clientKey->setPlaceholderText(tr("unencrypted PEM key"));
    auto *client = new QGroupBox(tr("TLS — client certificate presented when a server asks"), this);
    auto *clientForm = new QFormLayout(client);
    clientForm->addRow(tr("&Certificate:"), fileRow(this, m_clientCertificate, tr("Client certificate (PEM)"),
                                                    tr("Certificates (*.pem *.crt *.cer);;All files (*)")));
    clientForm->addRow(tr("Private &key:"), fileRow(this, m_clientKey, tr("Client private key (PEM)"),
                                                    tr("Keys (*.pem *.key);;All files (*)")));

    m_theme->addItems({tr("Follow the system"), tr("Light"), tr("Dark")});
    m_theme->setCurrentIndex(int(settings.theme));
    m_theme->setAccessibleName(tr("Theme"));
    const QFont platformFont = QApplication::font();
    const QFont platformFixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_interfaceSize->setRange(6, 32);
    m_monospaceSize->setRange(6, 32);
    m_monospaceFont->setFontFilters(QFontComboBox::MonospacedFonts);
    pickFont(m_interfaceFont, m_interfaceSize, settings.interfaceFont, platformFont);
    pickFont(m_monospaceFont, m_monospaceSize, settings.monospaceFont, platformFixed);
    m_interfaceFont->setAccessibleName(tr("Interface font"));
    m_interfaceSize->setAccessibleName(tr("Interface font size"));
    m_monospaceFont->setAccessibleName(tr("Code font"));
    m_monospaceSize->setAccessibleName(tr("Code font size"));
    auto *appearance = new QGroupBox(tr("Appearance"), this);
    auto *appearanceForm = new QFormLayout(appearance);
    appearanceForm->addRow(tr("&Theme:"), m_theme);
    auto *interfaceRow = new QHBoxLayout;
    interfaceRow->addWidget(m_interfaceFont, 1);
    interfaceRow->addWidget(m_interfaceSize);
    appearanceForm->addRow(tr("Interface font:"), interfaceRow);
    auto *monoRow = new QHBoxLayout;
    monoRow->addWidget(m_monospaceFont, 1);
    monoRow->addWidget(m_monospaceSize);
    appearanceForm->addRow(tr("Code font:"), monoRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(network);
    layout->addWidget(tls);
    layout->addWidget(client);
    layout->addWidget(appearance);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
    updateProxyFields();
}

void SettingsDialog::updateProxyFields()
{
    const bool manual = m_proxy->currentIndex() == int(AppSettings::Proxy::Manual);
    m_proxyHost->setEnabled(manual);
    m_proxyPort->setEnabled(manual);
}

AppSettings SettingsDialog::settings() const
{
    AppSettings settings;
    settings.proxy = AppSettings::Proxy(m_proxy->currentIndex());
    settings.proxyHost = m_proxyHost->text().trimmed();
    settings.proxyPort = m_proxyPort->value();
    settings.maxDecodedBodyMB = m_maxDecodedBody->value();
    for (int i = 0; i < m_caFiles->count(); ++i)
        settings.caCertificateFiles << m_caFiles->item(i)->text();
    settings.clientCertificateFile = m_clientCertificate->text().trimmed();
    settings.clientKeyFile = m_clientKey->text().trimmed();
    settings.theme = AppSettings::Theme(m_theme->currentIndex());
    settings.interfaceFont = fontText(m_interfaceFont, m_interfaceSize, QApplication::font(), m_original.interfaceFont);
    settings.monospaceFont = fontText(m_monospaceFont, m_monospaceSize, QFontDatabase::systemFont(QFontDatabase::FixedFont),
                                      m_original.monospaceFont);
    return settings;
}

} // namespace portolan::gui
