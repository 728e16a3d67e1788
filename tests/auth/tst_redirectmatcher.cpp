// The one redirect-URI matcher the embedded browser and the login engine share:
// the cases where the two used to disagree (default ports, percent-encoding)
// and the ones that must stay apart.
#include "authorizationrequest.h"
#include "redirectmatcher.h"

#include <QTest>

using namespace portolan::auth;

namespace {
void addCases()
{
    QTest::addColumn<QString>("candidate");
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<bool>("matches");
    QTest::newRow("query and fragment are free") << "http://127.0.0.1:5000/cb?code=1#x" << "http://127.0.0.1:5000/cb" << true;
    QTest::newRow("other port") << "http://127.0.0.1:5001/cb?code=1" << "http://127.0.0.1:5000/cb" << false;
    QTest::newRow("other path") << "http://127.0.0.1:5000/cbx" << "http://127.0.0.1:5000/cb" << false;
    QTest::newRow("other host") << "http://localhost:5000/cb" << "http://127.0.0.1:5000/cb" << false;
    QTest::newRow("http is not https") << "http://app.example/cb" << "https://app.example/cb" << false;
    QTest::newRow("custom scheme") << "org.portolan.demo:/callback?code=1" << "org.portolan.demo:/callback" << true;
    QTest::newRow("custom scheme, other path") << "org.portolan.demo:/other" << "org.portolan.demo:/callback" << false;
    QTest::newRow("scheme case") << "ORG.PORTOLAN.DEMO:/callback" << "org.portolan.demo:/callback" << true;
    QTest::newRow("host case") << "http://APP.example/cb" << "http://app.example/cb" << true;
        // Where the browser and the engine used to disagree (a login that hung):
    QTest::newRow("https default port written out") << "https://app.example/cb?code=1" << "https://app.example:443/cb" << true;
    QTest::newRow("http default port written out") << "http://app.example:80/cb" << "http://app.example/cb" << true;
    QTest::newRow("empty path is /") << "http://app.example?code=1" << "http://app.example/" << true;
    QTest::newRow("encoded unreserved") << "http://127.0.0.1:5000/%7Euser/cb" << "http://127.0.0.1:5000/~user/cb" << true;
    QTest::newRow("hex case") << "http://127.0.0.1:5000/a%2fb" << "http://127.0.0.1:5000/a%2Fb" << true;
    QTest::newRow("encoded slash is not a slash") << "http://127.0.0.1:5000/a%2Fb" << "http://127.0.0.1:5000/a/b" << false;
    QTest::newRow("encoded space") << "http://127.0.0.1:5000/my%20cb" << "http://127.0.0.1:5000/my cb" << true;
}
} // namespace

class RedirectMatcherTest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesOnlyTheRedirectUri_data() { addCases(); }

    void matchesOnlyTheRedirectUri()
    {
        QFETCH(QString, candidate);
        QFETCH(QString, redirect);
        QFETCH(bool, matches);
        QCOMPARE(matchesRedirectUri(QUrl(candidate), QUrl(redirect)), matches);
    }

    // The engine consumes exactly what the browser hands it.
    void engineAgreesWithTheMatcher_data() { addCases(); }
    void engineAgreesWithTheMatcher()
    {
        QFETCH(QString, candidate);
        QFETCH(QString, redirect);
        QFETCH(bool, matches);
        AuthorizationConfig config;
        config.authorizationUrl = QUrl(QStringLiteral("https://as.example/authorize"));
        config.clientId = QStringLiteral("c");
        config.redirectUri = QUrl(redirect);
        const AuthorizationRequest request(config);
        QCOMPARE(request.isRedirect(QUrl(candidate)), matches);
    }
};

QTEST_APPLESS_MAIN(RedirectMatcherTest)
#include "tst_redirectmatcher.moc"
