#include "welcomepage.h"

#include "recentdocuments.h"

#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace portolan::gui {

WelcomePage::WelcomePage(RecentDocuments *recent, QWidget *parent)
    : QWidget(parent), m_recent(recent), m_recentList(new QListWidget(this))
{
    auto *logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/portolan.svg")).pixmap(96, 96));
    logo->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(tr("Portolan"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.2);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    auto *tagline = new QLabel(tr("Open an OpenAPI or Swagger description — a file, a URL, or drop it here."), this);
    tagline->setAlignment(Qt::AlignCenter);
    tagline->setWordWrap(true);

    auto *openFile = new QPushButton(tr("Open File…"), this);
    auto *openUrl = new QPushButton(tr("Open URL…"), this);
    auto *openDemo = new QPushButton(tr("Open the Demo API"), this);
    openFile->setToolTip(tr("Ctrl+O"));
    openDemo->setDefault(true);
    connect(openFile, &QPushButton::clicked, this, &WelcomePage::openFileRequested);
    connect(openUrl, &QPushButton::clicked, this, &WelcomePage::openUrlRequested);
    connect(openDemo, &QPushButton::clicked, this, &WelcomePage::openDemoRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(openFile);
    buttons->addWidget(openUrl);
    buttons->addWidget(openDemo);
    buttons->addStretch();

    auto *recentTitle = new QLabel(tr("Recent"), this);
    QFont bold = recentTitle->font();
    bold.setBold(true);
    recentTitle->setFont(bold);
    m_recentList->setAccessibleName(tr("Recent documents"));
    m_recentList->setMaximumWidth(640);
    m_recentList->setMinimumWidth(480);
    m_recentList->setMaximumHeight(260);
    connect(m_recentList, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT openRecentRequested(item->data(Qt::UserRole).toUrl()); });
    connect(recent, &RecentDocuments::changed, this, &WelcomePage::fillRecent);
    fillRecent();

    auto *column = new QVBoxLayout;
    column->addStretch(2);
    column->addWidget(logo);
    column->addWidget(title);
    column->addWidget(tagline);
    column->addSpacing(16);
    column->addLayout(buttons);
    column->addSpacing(24);
    column->addWidget(recentTitle, 0, Qt::AlignHCenter);
    column->addWidget(m_recentList, 0, Qt::AlignHCenter);
    column->addStretch(3);
    auto *layout = new QHBoxLayout(this);
    layout->addStretch();
    layout->addLayout(column);
    layout->addStretch();
}

void WelcomePage::fillRecent()
{
    m_recentList->clear();
    for (const QUrl &url : m_recent->urls()) {
        const QString shown = url.isLocalFile() ? url.toLocalFile() : url.toDisplayString();
        auto *item = new QListWidgetItem(shown, m_recentList);
        item->setData(Qt::UserRole, url);
        item->setToolTip(shown);
    }
    if (m_recent->urls().isEmpty()) {
        auto *item = new QListWidgetItem(tr("Nothing yet."), m_recentList);
        item->setFlags(Qt::NoItemFlags);
    }
}

} // namespace portolan::gui
