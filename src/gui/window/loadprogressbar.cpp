#include "loadprogressbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace portolan::gui {

LoadProgressBar::LoadProgressBar(QWidget *parent)
    : QWidget(parent), m_label(new QLabel(this)), m_bar(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_bar->setMaximumWidth(260);
    m_bar->setTextVisible(false);
    m_bar->setAccessibleName(tr("Loading progress"));
    m_cancel->setAccessibleName(tr("Cancel loading"));
    m_cancel->setToolTip(tr("Stop loading (Esc)"));
    m_label->setAccessibleName(tr("Loading status"));
    connect(m_cancel, &QPushButton::clicked, this, &LoadProgressBar::cancelRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    setAutoFillBackground(true);
}

void LoadProgressBar::start(const QString &what)
{
    m_what = what;
    m_label->setText(tr("Loading %1 …").arg(what));
    m_bar->setRange(0, 0);  // busy until the loader reports numbers
}

void LoadProgressBar::setProgress(const QString &stage, int done, int total)
{
    m_label->setText(QStringLiteral("%1 — %2").arg(m_what, stage));
    if (total > 0) {
        m_bar->setRange(0, total);
        m_bar->setValue(done);
    } else {
        m_bar->setRange(0, 0);
    }
}

} // namespace portolan::gui
