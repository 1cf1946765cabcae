//! axe-core over a grid of page × width × mode in two headless Chromiums, fast enough to run on
//! every page type: one browser in the light scheme and one in the dark (`--force-dark-mode`:
//! the real `prefers-color-scheme: dark`), each holding a frame per width that works through a
//! queue the test's server hands out. A frame is sent (302) from `/__axe/next` to its next page,
//! which runs axe-core once loaded, posts its violations to `/__axe/result` and asks for the next
//! page, until the queue has none for its width and scheme. The light browser's frames are on
//! two host names (127.0.0.1 and localhost: two sites, so two renderer processes, both cores).

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// One check: a page (its path below the site root, with any query) at a width, in a scheme,
/// with reading modes (`large`, `contrast`, comma-separated, or none).
#[derive(Debug, Clone)]
pub struct Job {
    pub page: String,
    pub width: u32,
    pub dark: bool,
    pub modes: &'static str,
}

impl std::fmt::Display for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.dark { "dark" } else { "light" };
        let modes = if self.modes.is_empty() { String::new() } else { format!(",{}", self.modes) };
        write!(f, "{} @{} [{scheme}{modes}]", self.page, self.width)
    }
}

/// The jobs, those not handed out yet, and the answers (the JSON each page posted).
pub struct Queue {
    pub jobs: Vec<Job>,
    left: Mutex<VecDeque<usize>>,
    results: Mutex<Vec<Option<String>>>,
    done: Condvar,
}

/// What the server answers for an `/__axe/…` request.
pub enum Answer {
    Page(&'static str, Vec<u8>),
    Redirect(String),
    NoContent,
}

/// Runs axe-core once the page has loaded, with the reading modes of `__mode` set as site.js
/// sets them; posts the violations and goes on to the next page of its width and scheme.
const RUN: &str = r#"window.addEventListener("load", function () {
  var q = new URLSearchParams(location.search), root = document.documentElement;
  var modes = (q.get("__mode") || "").split(",");
  if (modes.indexOf("large") >= 0) root.setAttribute("data-text", "large");
  if (modes.indexOf("contrast") >= 0) root.setAttribute("data-contrast", "high");
  function done(data) {
    data.job = Number(q.get("__job"));
    fetch("/__axe/result", { method: "POST", body: JSON.stringify(data) }).then(function () {
      location.replace("/__axe/next?w=" + q.get("__w") + "&s=" + q.get("__s"));
    });
  }
  setTimeout(function () {
    axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
      done({ violations: r.violations.map(function (v) {
        return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(" ") + " :: " + n.failureSummary; }) };
      }) });
    }, function (e) { done({ error: String(e) }); });
  }, 50);
});"#;

pub const WIDTHS: [u32; 4] = [320, 390, 768, 1280];

impl Queue {
    pub fn new(jobs: Vec<Job>) -> Queue {
        let n = jobs.len();
        Queue { jobs, left: Mutex::new((0..n).collect()), results: Mutex::new(vec![None; n]), done: Condvar::new() }
    }

    /// The answer to an `/__axe/…` request, `None` for any other path.
    pub fn answer(&self, root: &Path, port: u16, path: &str, query: &str, body: &[u8]) -> Option<Answer> {
        let param = |name: &str| query.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')).unwrap_or("");
        Some(match path {
            "/__axe/run.js" => Answer::Page("text/javascript", RUN.as_bytes().to_vec()),
            "/__axe/harness" => {
                let hosts: Vec<&str> = param("h").split(',').collect();
                let frames: String = WIDTHS
                    .iter()
                    .flat_map(|w| hosts.iter().map(move |h| (w, h)))
                    .map(|(w, h)| {
                        format!(
                            r#"<iframe title="{w}" style="position:absolute;top:0;left:0;width:{w}px;height:900px;border:0" src="http://{h}:{port}/__axe/next?w={w}&amp;s={}"></iframe>"#,
                            param("s")
                        )
                    })
                    .collect();
                let html = format!(
                    r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>axe</title></head><body>{frames}</body></html>"#
                );
                Answer::Page("text/html; charset=utf-8", html.into_bytes())
            }
            "/__axe/next" => {
                let (width, dark) = (param("w").parse::<u32>().unwrap_or(0), param("s") == "dark");
                loop {
                    let next = {
                        let mut left = self.left.lock().unwrap();
                        let at = left.iter().position(|&i| self.jobs[i].width == width && self.jobs[i].dark == dark);
                        at.and_then(|at| left.remove(at))
                    };
                    let Some(i) = next else {
                        break Answer::Page("text/html; charset=utf-8", b"<!doctype html><title>done</title>".to_vec());
                    };
                    let job = &self.jobs[i];
                    let file = job.page.split('?').next().unwrap();
                    let file = if file.is_empty() || file.ends_with('/') { format!("{file}index.html") } else { file.to_owned() };
                    if !root.join(&file).is_file() {
                        self.record(i, r#"{"missing":true}"#.to_owned());
                        continue;
                    }
                    let sep = if job.page.contains('?') { '&' } else { '?' };
                    let scheme = if dark { "dark" } else { "light" };
                    break Answer::Redirect(format!("/{}{sep}__axe&__mode={}&__w={width}&__s={scheme}&__job={i}", job.page, job.modes));
                }
            }
            "/__axe/result" => {
                let text = String::from_utf8_lossy(body).into_owned();
                let job = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["job"].as_u64());
                if let Some(i) = job.map(|i| i as usize).filter(|i| *i < self.jobs.len()) {
                    self.record(i, text);
                }
                Answer::NoContent
            }
            _ => return None,
        })
    }

    fn record(&self, i: usize, result: String) {
        let mut results = self.results.lock().unwrap();
        results[i] = Some(result);
        if results.iter().all(Option::is_some) {
            self.done.notify_all();
        }
    }

    /// Every job's answer, once all are in or `timeout` has passed (`None` for those missing).
    pub fn wait(&self, timeout: Duration) -> Vec<Option<String>> {
        let deadline = Instant::now() + timeout;
        let mut results = self.results.lock().unwrap();
        while !results.iter().all(Option::is_some) {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            results = self.done.wait_timeout(results, deadline - now).unwrap().0;
        }
        results.clone()
    }
}

/// The problems of the answers: each violation, a page that was not there, axe failing, a
/// page that did not answer in time.
pub fn problems(queue: &Queue, results: &[Option<String>]) -> Vec<String> {
    let mut problems = Vec::new();
    for (job, result) in queue.jobs.iter().zip(results) {
        let Some(result) = result else {
            problems.push(format!("{job}: no answer"));
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(result).unwrap_or_else(|e| panic!("{job}: {e}: {result}"));
        if v["missing"] == true {
            problems.push(format!("{job}: no such page"));
        } else if let Some(e) = v["error"].as_str() {
            problems.push(format!("{job}: axe failed: {e}"));
        }
        for violation in v["violations"].as_array().into_iter().flatten() {
            problems
                .push(format!("{job}: {} ({}) {}\n    {}", violation["id"], violation["impact"], violation["help"], violation["nodes"]));
        }
    }
    problems
}
