package io.lvscp.web;

import io.lvscp.realserver.RealServerRequest;
import io.lvscp.realserver.RealServerRequest.HealthCheck;

/**
 * What the add-real-server form sends, exactly as typed: every field is text so
 * that a rejected value comes back to the user unchanged. Names match the inputs;
 * the health-check inputs carry the part of the API field name after
 * "healthCheck." ("path" for "healthCheck.path").
 */
class RealServerForm {

    private String address;
    private String port;
    private String weight = "1";
    private String state = "enabled";
    private String type = "NONE";
    private String path;
    private String statusCodes;
    private String command;
    private String connectTimeout;
    private String retry;
    private String delayBeforeRetry;
    private String delayLoop;
    /** The page of the cluster the user came from, to go back to it. */
    private String returnPage;

    /**
     * The API request for this form; blank inputs are left out (the service's
     * defaults apply). Inputs that are not whole numbers are reported to {@code errors}.
     */
    RealServerRequest toRequest(FormErrors errors) {
        HealthCheck hc = new HealthCheck(text(type), text(path), text(statusCodes), null, null, text(command), null,
                number(errors, "connectTimeout", connectTimeout), number(errors, "retry", retry),
                number(errors, "delayBeforeRetry", delayBeforeRetry), number(errors, "delayLoop", delayLoop));
        return new RealServerRequest(text(address), number(errors, "port", port), number(errors, "weight", weight), text(state), null,
                null, null, hc, null);
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Integer number(FormErrors errors, String input, String s) {
        String t = text(s);
        if (t == null) {
            return null;
        }
        if (!t.matches("[+-]?[0-9]+")) {
            errors.add(input, "'" + t + "' is not a whole number");
            return null;
        }
        try {
            return Integer.valueOf(t);
        } catch (NumberFormatException e) {
            errors.add(input, "'" + t + "' is far too large");
            return null;
        }
    }

    /** The page to return to: a positive number, else the first. */
    public int returnPageNumber() {
        String t = text(returnPage);
        if (t != null && t.matches("[0-9]{1,6}")) {
            return Math.max(Integer.parseInt(t), 1);
        }
        return 1;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getPort() {
        return port;
    }

    public void setPort(String port) {
        this.port = port;
    }

    public String getWeight() {
        return weight;
    }

    public void setWeight(String weight) {
        this.weight = weight;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getStatusCodes() {
        return statusCodes;
    }

    public void setStatusCodes(String statusCodes) {
        this.statusCodes = statusCodes;
    }

    public String getCommand() {
        return command;
    }

    public void setCommand(String command) {
        this.command = command;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getRetry() {
        return retry;
    }

    public void setRetry(String retry) {
        this.retry = retry;
    }

    public String getDelayBeforeRetry() {
        return delayBeforeRetry;
    }

    public void setDelayBeforeRetry(String delayBeforeRetry) {
        this.delayBeforeRetry = delayBeforeRetry;
    }

    public String getDelayLoop() {
        return delayLoop;
    }

    public void setDelayLoop(String delayLoop) {
        this.delayLoop = delayLoop;
    }

    public String getReturnPage() {
        return returnPage;
    }

    public void setReturnPage(String returnPage) {
        this.returnPage = returnPage;
    }
}
