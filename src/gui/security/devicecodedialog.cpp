#include "devicecodedialog.h"

#include "themecolors.h"
#include "urlpolicy.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace portolan::gui {

DeviceCodeDialog::DeviceCodeDialog(const QString &userCode, const QUrl &verificationUri,
                                   const QUrl &verificationUriComplete, int expiresInSeconds, QWidget *parent)
    : QDialog(parent), m_userCode(userCode), m_verificationUri(verificationUri), m_total(std::max(1, expiresInSeconds)),
      m_secondsLeft(expiresInSeconds + 1), m_code(new QLabel(userCode, this)), m_remaining(new QLabel(this)),
      m_bar(new QProgressBar(this)), m_status(new QLabel(this)), m_copy(new QPushButton(tr("Copy code"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("Sign in on another device"));

    auto *intro = new QLabel(tr("Open this page in any browser and enter the code:"), this);
    const QUrl shown = verificationUri;
    auto *link = new QLabel(QStringLiteral("<a href=\"%1\">%2</a>").arg(shown.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                                                       shown.toDisplayString().toHtmlEscaped()),
                            this);
    link->setTextInteractionFlags(Qt::TextBrowserInteraction);
    link->setOpenExternalLinks(false);  // opened below, through the engine's URL check
    connect(link, &QLabel::linkActivated, this, [this](const QString &href) { openPage(QUrl(href)); });
    link->setAccessibleName(tr("Verification link"));

    QFont codeFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    codeFont.setPointSizeF(codeFont.pointSizeF() * 2.2);
    codeFont.setBold(true);
    codeFont.setLetterSpacing(QFont::AbsoluteSpacing, 3);
    m_code->setFont(codeFont);
    m_code->setAlignment(Qt::AlignCenter);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_code->setAccessibleName(tr("User code"));
    m_code->setContentsMargins(0, 12, 0, 12);

    m_bar->setRange(0, m_total);
    m_bar->setTextVisible(false);
    m_bar->setMaximumHeight(6);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Device login status"));
    m_remaining->setAccessibleName(tr("Time left"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    if (verificationUriComplete.isValid() && !verificationUriComplete.isEmpty()) {
        auto *open = new QPushButton(tr("Open page with code"), this);
        connect(open, &QPushButton::clicked, this, [this, verificationUriComplete] { openPage(verificationUriComplete); });
        buttons->addWidget(open);
    }
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(link);
    layout->addWidget(m_code);
    layout->addWidget(m_bar);
    layout->addWidget(m_remaining);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    setMinimumWidth(440);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_userCode);
        setStatus(tr("Code copied."));
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        Q_EMIT cancelled();
        reject();
    });
    connect(this, &QDialog::rejected, this, [this] { m_countdown.stop(); });
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &DeviceCodeDialog::tick);
    m_countdown.start();
    setStatus(tr("Waiting for you to approve…"));
    tick();  // shows the full time left
}

void DeviceCodeDialog::tick()
{
    m_secondsLeft = std::max(0, m_secondsLeft - 1);
    m_bar->setValue(m_secondsLeft);
    m_remaining->setText(m_secondsLeft > 0 ? tr("The code expires in %1:%2")
                                                 .arg(m_secondsLeft / 60)
                                                 .arg(m_secondsLeft % 60, 2, 10, QLatin1Char('0'))
                                           : tr("The code has expired."));
    if (m_secondsLeft == 0)
        m_countdown.stop();
}

void DeviceCodeDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette palette = this->palette();
    if (error)
        palette.setColor(QPalette::WindowText, toneText(Tone::Error, palette));
    m_status->setPalette(palette);
}

void DeviceCodeDialog::openPage(const QUrl &url)
{
    QString error;
    if (!auth::openInBrowser(url, &QDesktopServices::openUrl, &error))
        m_status->setText(error);
}

} // namespace portolan::gui
