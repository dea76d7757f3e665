package io.corral.agent.template;

import java.util.List;

/** template.json beside a template's rootfs. */
record TemplateMeta(List<String> init, int stopSignal, String builtFrom) {
}
