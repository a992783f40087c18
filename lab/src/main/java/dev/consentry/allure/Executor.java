package dev.consentry.allure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Allure's executor.json: who ran this report's tests, which run it was, and (on CI) the job that did, so the trend
 * graph's points link back to their nights.
 *
 * @param buildOrder orders runs in the history; the run's start as yyyyMMddHHmmss
 * @param buildUrl   the CI job, from BUILD_URL (Jenkins), CI_JOB_URL (GitLab) or GitHub's run URL, when set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Executor(String name, String type, Long buildOrder, String buildName, String buildUrl,
                       String reportName) {
    /** @param runId the run directory's name, yyyyMMdd-HHmmss */
    public static Executor forRun(String runId, String reportName, Map<String, String> env) {
        Long order = null;
        String digits = runId.replaceAll("\\D", "");
        if (!digits.isEmpty() && digits.length() <= 18) {
            order = Long.parseLong(digits);
        }
        return new Executor("consentry run on " + host(env), "consentry", order, "nightly " + runId,
                ciUrl(env).orElse(null), reportName);
    }

    void write(Path file) throws IOException {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    private static Optional<String> ciUrl(Map<String, String> env) {
        if (env.containsKey("BUILD_URL")) {
            return Optional.of(env.get("BUILD_URL"));
        }
        if (env.containsKey("CI_JOB_URL")) {
            return Optional.of(env.get("CI_JOB_URL"));
        }
        if (env.containsKey("GITHUB_RUN_ID") && env.containsKey("GITHUB_REPOSITORY")) {
            return Optional.of(env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/"
                    + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + env.get("GITHUB_RUN_ID"));
        }
        return Optional.empty();
    }

    private static String host(Map<String, String> env) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return env.getOrDefault("HOSTNAME", "this machine");
        }
    }
}
