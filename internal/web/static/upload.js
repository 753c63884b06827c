// paylink dashboard uploader: Polar's multipart protocol from the browser.
// A [data-upload] control slices the chosen file into parts, computes each
// part's SHA-256 (crypto.subtle.digest), asks the dashboard for an upload
// (POST /dashboard/files), PUTs every part to its signed URL with its
// checksum, retries a failed part, shows the progress, and completes the
// upload. A failed upload keeps the parts that arrived: "Resume" sends the rest.
// On success it puts the file's id into the form (data-field) and shows it in
// the control's list. The product images and the logo use it; any form may.
(function () {
  "use strict";

  var PART_SIZE = 10 * 1000 * 1000; // Polar's uploader cuts 10 MB parts
  var WHOLE_DIGEST_MAX = 64 * 1024 * 1024; // digesting more at once would hold it all in memory
  var TRIES = 3;

  function b64(buf) {
    var s = "", bytes = new Uint8Array(buf);
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }

  function sha256(blob) {
    if (!(window.crypto && crypto.subtle)) return Promise.resolve(null); // not a secure context: no checksums
    return blob.arrayBuffer().then(function (buf) { return crypto.subtle.digest("SHA-256", buf); }).then(b64);
  }

  function post(url, form, fields) {
    var body = new URLSearchParams();
    body.set("csrf", form.querySelector("input[name=csrf]").value);
    Object.keys(fields).forEach(function (k) { body.set(k, fields[k]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || "The upload failed (" + res.status + ").");
        return data;
      });
    });
  }

  // putPart sends one part, reporting the bytes sent so far; it answers the part's ETag.
  function putPart(part, blob, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("PUT", part.url, true);
      Object.keys(part.headers || {}).forEach(function (h) { xhr.setRequestHeader(h, part.headers[h]); });
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) onProgress(e.loaded); };
      xhr.onload = function () {
        var etag = xhr.getResponseHeader("ETag");
        if (xhr.status === 200 && etag) resolve(etag);
        else reject(new Error("Part " + part.number + " was refused (" + xhr.status + ")."));
      };
      xhr.onerror = function () { reject(new Error("Part " + part.number + " could not be sent.")); };
      xhr.send(blob);
    });
  }

  function withRetries(fn) {
    var attempt = function (n) {
      return fn().catch(function (err) {
        if (n >= TRIES) throw err;
        return new Promise(function (r) { setTimeout(r, 500 * Math.pow(2, n)); }).then(function () { return attempt(n + 1); });
      });
    };
    return attempt(1);
  }

  function Upload(control, file) {
    this.control = control;
    this.form = control.closest("form");
    this.file = file;
    this.done = {}; // part number → ETag, kept across a resume
    this.created = null;
  }

  Upload.prototype.parts = function () {
    var file = this.file, parts = [], chain = Promise.resolve();
    var count = Math.max(1, Math.ceil(file.size / PART_SIZE));
    for (var n = 1; n <= count; n++) {
      (function (n) {
        var start = (n - 1) * PART_SIZE, end = Math.min(n * PART_SIZE, file.size);
        chain = chain.then(function () { return sha256(file.slice(start, end)); }).then(function (sum) {
          var p = { number: n, chunk_start: start, chunk_end: end };
          if (sum) p.checksum_sha256_base64 = sum;
          parts.push(p);
        });
      })(n);
    }
    return chain.then(function () { return parts; });
  };

  Upload.prototype.create = function () {
    var self = this, file = this.file;
    if (this.created) return Promise.resolve(this.created);
    return Promise.all([this.parts(), file.size <= WHOLE_DIGEST_MAX ? sha256(file) : null]).then(function (r) {
      var fields = { service: self.control.getAttribute("data-service"), name: file.name, size: String(file.size),
        mime_type: file.type || "application/octet-stream", parts: JSON.stringify(r[0]) };
      if (r[1]) fields.checksum_sha256_base64 = r[1];
      return post("/dashboard/files", self.form, fields);
    }).then(function (up) { self.created = up; return up; });
  };

  Upload.prototype.run = function (progress) {
    var self = this, file = this.file;
    return this.create().then(function (up) {
      var sent = 0, chain = Promise.resolve();
      up.parts.forEach(function (part) {
        chain = chain.then(function () {
          var size = part.chunk_end - part.chunk_start;
          if (self.done[part.number]) { sent += size; progress(sent, file.size); return; }
          return withRetries(function () {
            return putPart(part, file.slice(part.chunk_start, part.chunk_end), function (n) { progress(sent + n, file.size); });
          }).then(function (etag) { self.done[part.number] = etag; sent += size; progress(sent, file.size); });
        });
      });
      return chain.then(function () {
        var parts = up.parts.map(function (p) { return { number: p.number, checksum_etag: self.done[p.number] }; });
        return post("/dashboard/files/" + up.id + "/uploaded", self.form,
          { upload_id: up.upload_id, path: up.path, parts: JSON.stringify(parts) });
      });
    });
  };

  // added puts an uploaded file into the form: a row of the list (multiple)
  // or the one value of the field.
  function added(control, file) {
    var field = control.getAttribute("data-field");
    var list = control.querySelector("[data-upload-list]");
    if (!control.hasAttribute("data-multiple")) list.textContent = "";
    var li = document.createElement("li");
    if (file.public_url) {
      var img = document.createElement("img");
      img.src = file.public_url; img.alt = ""; img.width = 64; img.height = 64;
      li.appendChild(img);
    }
    var name = document.createElement("span");
    name.textContent = file.name + " (" + file.size_readable + ")";
    li.appendChild(name);
    var input = document.createElement("input");
    input.type = "hidden"; input.name = field; input.value = file.id;
    li.appendChild(input);
    li.appendChild(removeButton());
    list.appendChild(li);
  }

  function removeButton() {
    var b = document.createElement("button");
    b.type = "button"; b.className = "link-button"; b.setAttribute("data-upload-remove", ""); b.textContent = "Remove";
    return b;
  }

  document.querySelectorAll("[data-upload]").forEach(function (control) {
    var input = control.querySelector("input[type=file]");
    var bar = control.querySelector("progress");
    var status = control.querySelector("[data-upload-status]");
    var resume = control.querySelector("[data-upload-resume]");
    var current = null;
    control.hidden = false;
    control.addEventListener("click", function (e) {
      if (e.target.hasAttribute("data-upload-remove")) e.target.closest("li").remove();
    });
    control.querySelectorAll("[data-upload-remove]").forEach(function (b) { b.hidden = false; });
    var start = function () {
      resume.hidden = true;
      bar.hidden = false;
      status.textContent = "Uploading " + current.file.name + "…";
      current.run(function (sent, total) {
        bar.value = total ? Math.round((sent / total) * 100) : 100;
        status.textContent = "Uploading " + current.file.name + "… " + bar.value + " %";
      }).then(function (file) {
        bar.hidden = true;
        status.textContent = "Uploaded " + file.name + ".";
        added(control, file);
        input.value = "";
        current = null;
      }, function (err) {
        status.textContent = err.message + " Resume to send the rest.";
        resume.hidden = false;
      });
    };
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var max = Number(control.getAttribute("data-max-size") || 0);
      if (max && input.files[0].size > max) {
        status.textContent = "This file is too large: at most " + Math.round(max / 1048576) + " MB.";
        input.value = "";
        return;
      }
      current = new Upload(control, input.files[0]);
      start();
    });
    resume.addEventListener("click", function () { if (current) start(); });
  });
})();
