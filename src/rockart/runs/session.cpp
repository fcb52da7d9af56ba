// SPDX-License-Identifier: MIT
#include <rockart/runs/session.hpp>

namespace rockart::runs {

Session::Session(const util::EnvLookup& env,
                 const github::CommandRunner& run,
                 const SessionOptions& options,
                 cache::Cache* cache)
    : m_github(env, run, {options.offline, options.wait_on_rate_limit}),
      m_s3(env, options.s3, options.s3_client), m_objects(m_s3.client()), m_api(m_github.client()),
      m_catalog({m_api, m_objects, cache, options.offline}) {}

} // namespace rockart::runs
