package io.modelyard.testing;

import java.lang.reflect.Field;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;

/**
 * When a browser test fails, saves each open {@link PortalBrowser}'s screenshot and page source under
 * {@code target/portal-failures/}, so the failure can be seen, not guessed.
 */
public class BrowserFailures implements AfterTestExecutionCallback {

    static final Path DIRECTORY = Path.of("target", "portal-failures");

    /** Runs right after the test method, before {@code @AfterEach} closes the browsers. */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        Object test = context.getTestInstance().orElse(null);
        if (test == null) {
            return;
        }
        for (Field field : test.getClass().getDeclaredFields()) {
            if (PortalBrowser.class.isAssignableFrom(field.getType())) {
                try {
                    field.setAccessible(true);
                    PortalBrowser browser = (PortalBrowser) field.get(test);
                    if (browser != null) {
                        browser.capture(DIRECTORY, context.getRequiredTestClass().getSimpleName() + "-"
                                + context.getRequiredTestMethod().getName() + "-" + field.getName());
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    System.err.println("Could not capture the browser after a failure: " + e);
                }
            }
        }
    }
}
