#pragma once

#include "credentialstore.h"

#include <QDir>
#include <QStandardPaths>
#include <QTest>
#include <QWidget>

namespace portolan::test {

// Saves a picture of `widget` as NAME.png in $PORTOLAN_SCREENSHOT_DIR, when set.
inline void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("PORTOLAN_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(150);  // let pending layouts and paints settle, as a user would see them
    const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
    QVERIFY2(widget->grab().save(path), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
}

// Removes every stored credential with its keychain entries: the test starts from none.
inline void clearCredentials(auth::CredentialStore *store)
{
    for (const auth::CredentialInfo &info : store->list()) {
        bool done = false;
        store->remove(info.id, [&done](const auth::StoreResult &) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    }
}

inline QString demoPath()
{
    return QStringLiteral(PORTOLAN_SOURCE_DIR "/resources/samples/demo.yaml");
}

} // namespace portolan::test
